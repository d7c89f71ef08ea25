import { setTimeout as sleep } from 'node:timers/promises';
import { nextDelay, type BackoffPolicy } from './backoff.ts';
import { isTransient } from './transient.ts';

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Delays between attempts (default exponential from 100 ms, × 2, up to 2 000 ms, full jitter). */
  backoff?: BackoffPolicy;
  /** Whether an error deserves another attempt (default {@link isTransient}: resets, refusals, timeouts, 5xx/429/408). */
  retryable?: (error: unknown, attempt: number) => boolean;
  /** Give up (with the last error) rather than start a wait that would end after this many ms from the first attempt. */
  budgetMs?: number;
  /** Stops waiting and attempting; the abort reason is thrown. */
  signal?: AbortSignal;
  /** Called before each wait: log it, count it. */
  onRetry?: (event: { attempt: number; error: unknown; delayMs: number }) => void;
  /** Source of randomness for jitter (tests pass a fixed one). */
  random?: () => number;
}

/** The default policy of {@link retry}. */
export const DEFAULT_BACKOFF: BackoffPolicy = { type: 'exponential', delayMs: 100, factor: 2, maxDelayMs: 2_000, jitter: 'full' };

/**
 * Run `operation` until it succeeds, retrying transient failures with backoff and
 * jitter, within a number of attempts, a time budget and an abort signal. For probe
 * packages' own connection attempts (what opossum, behind the core's per-target
 * breaker, does not do): `await retry((attempt, signal) => client.connect(), { signal: ctx.signal })`.
 * An error's `retryAfterMs` (a number, e.g. from a parsed Retry-After) lengthens the wait.
 */
export async function retry<T>(operation: (attempt: number, signal: AbortSignal | undefined) => Promise<T> | T, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const retryable = options.retryable ?? ((error: unknown) => isTransient(error));
  const started = performance.now();
  let previous: number | undefined;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await operation(attempt, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (attempt >= attempts || !retryable(error, attempt)) throw error;
      const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
      const delayMs = Math.max(nextDelay(backoff, attempt, previous, options.random), typeof asked === 'number' ? asked : 0);
      if (options.budgetMs !== undefined && performance.now() - started + delayMs > options.budgetMs) throw error;
      options.onRetry?.({ attempt, error, delayMs });
      previous = delayMs;
      await sleep(delayMs, undefined, { signal: options.signal }).catch(() => {
        throw options.signal?.reason;
      });
    }
  }
}
