import { setTimeout as sleep } from 'node:timers/promises';
import { isStepFailure } from './step-failure.ts';

/** How long a step keeps trying until its expectation holds (a row written asynchronously, an event processed). */
export interface EventuallyWindow {
  withinMs: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
}

/**
 * Run `attempt(1)`, `attempt(2)`, … until one does not fail the step, for at most
 * `window.withinMs`. Only step failures (`failStep`) are retried; any other error,
 * and the last failure once the window is spent, propagate. Without a window: one attempt.
 */
export async function eventually<T>(attempt: (attempts: number) => Promise<T>, window: EventuallyWindow | undefined, signal: AbortSignal): Promise<T> {
  const started = Date.now();
  const intervalMs = window?.intervalMs ?? 100;
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt(attempts);
    } catch (error) {
      if (!isStepFailure(error) || !window || Date.now() - started + intervalMs > window.withinMs) throw error;
      await sleep(intervalMs, undefined, { signal });
    }
  }
}
