/** Live output while a load runs: one line per second, through the check's logger or a user hook. */
import type { Logger } from '@probe/core';
import type { Progress } from './engine/engine.ts';
import type { LoadProbeOptions } from './types.ts';

/** `orders-api 3s  12,345 req/s  p50 0.41 ms  p99 2.1 ms  max 7.9 ms  0 errors  10 in flight`. */
export function progressLine(name: string, progress: Progress): string {
  const { sample } = progress;
  const parts = [
    `${name} ${progress.second}s`,
    `${Math.round(sample.rps).toLocaleString('en-US')} req/s`,
    `p50 ${sample.p50_ms} ms`,
    `p99 ${sample.p99_ms} ms`,
    `max ${sample.max_ms} ms`,
    `${sample.errors} errors`,
    `${progress.inFlight} in flight`,
  ];
  if (progress.model === 'open') parts.splice(1, 0, `${sample.sent.toLocaleString('en-US')} sent`);
  if (progress.backlog > 0) parts.push(`${progress.backlog} waiting`);
  return parts.join('  ');
}

/** The progress callback a run gets from the `progress` option: `log` (default), `off`, or the user's function. */
export function progressHook(option: LoadProbeOptions['progress'], name: string, log: Logger): ((progress: Progress) => void) | undefined {
  if (option === 'off') return undefined;
  if (typeof option === 'function') return option;
  return (progress) => log.info(progressLine(name, progress));
}
