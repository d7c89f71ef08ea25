import { setTimeout as delay } from 'node:timers/promises';

/** Sleep `ms`, or reject with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}

/** Milliseconds since `start` (a `performance.now()` value), rounded to 0.1 ms. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

/** Reject with the signal's reason once it aborts; resolves never otherwise. Remove with the returned function. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort: () => void = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** Resolve `work`, or reject with the signal's reason if it aborts first (the work itself keeps running). */
export async function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = whenAborted(signal);
  try {
    return await Promise.race([work, aborted.promise]);
  } finally {
    aborted.dispose();
  }
}

/**
 * Call `sample` `samples` times, `intervalMs` apart (the first call at once),
 * and return every result with the time it was taken. Bounded in count and
 * time; aborts with the signal.
 */
export async function sampleOverWindow<T>(samples: number, intervalMs: number, signal: AbortSignal, sample: () => Promise<T>): Promise<{ at: number; value: T }[]> {
  const out: { at: number; value: T }[] = [];
  for (let index = 0; index < samples; index++) {
    if (index > 0) await sleep(intervalMs, signal);
    out.push({ at: Date.now(), value: await abortable(sample(), signal) });
  }
  return out;
}
