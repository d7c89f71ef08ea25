import type { Totals } from '@probe/core';

const WORDS = { pass: 'passed', fail: 'failed', warn: 'warned', skip: 'skipped', error: 'errored' } as const;

/** `probe: 12 passed, 1 failed, 2 skipped in 1.24 s; exit 1` — the one line of `--quiet`. */
export function summaryLine(totals: Totals, exitCode: number, durationMs: number, interrupted?: string): string {
  const counts = (Object.keys(WORDS) as (keyof Totals)[]).filter((status) => totals[status] > 0).map((status) => `${totals[status]} ${WORDS[status]}`);
  const seconds = durationMs < 1_000 ? `${Math.round(durationMs * 10) / 10} ms` : `${(durationMs / 1_000).toFixed(2)} s`;
  return `probe: ${counts.length ? counts.join(', ') : 'no checks'} in ${seconds}${interrupted ? `; interrupted by ${interrupted}` : ''}; exit ${exitCode}\n`;
}
