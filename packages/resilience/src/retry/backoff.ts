/**
 * Backoff policies: the delays between attempts, with or without jitter. The retry
 * helper samples them; the `resilience.retry.backoff` check holds observed gaps
 * against the same envelopes, so the two can never disagree about a policy.
 */

/**
 * How a delay is randomised:
 * - `none`: exactly the nominal delay;
 * - `full`: uniform in [0, d] (AWS "full jitter");
 * - `equal`: uniform in [d/2, d] (AWS "equal jitter");
 * - `decorrelated`: uniform in [first delay, 3 × previous delay] (AWS "decorrelated jitter"), capped;
 * - a number p in (0, 1]: uniform in [d × (1 − p), d × (1 + p)] (Polly-style ± proportion).
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated' | number;

/** A backoff policy. Delays are in milliseconds; `retry` numbers start at 1 (the wait before the 2nd attempt). */
export interface BackoffPolicy {
  /** `constant`: d; `linear`: d × retry; `exponential`: d × factor^(retry − 1). */
  type: 'constant' | 'linear' | 'exponential';
  /** The first retry's nominal delay. */
  delayMs: number;
  /** Growth factor of `exponential` (default 2). */
  factor?: number;
  /** Upper bound of any delay (default: none). */
  maxDelayMs?: number;
  /** Default `none`. */
  jitter?: Jitter;
}

/** The nominal (jitter-free) delay before attempt `retry + 1`. */
export function nominalDelay(policy: BackoffPolicy, retry: number): number {
  const base = policy.type === 'constant' ? policy.delayMs
    : policy.type === 'linear' ? policy.delayMs * retry
    : policy.delayMs * (policy.factor ?? 2) ** (retry - 1);
  return Math.min(base, policy.maxDelayMs ?? Number.POSITIVE_INFINITY);
}

/**
 * The range a delay may take under the policy's jitter: `[low, high]` in ms. For
 * `decorrelated`, `previousMs` is the delay actually waited before (default: the first delay).
 */
export function delayRange(policy: BackoffPolicy, retry: number, previousMs?: number): [number, number] {
  const jitter = policy.jitter ?? 'none';
  const cap = policy.maxDelayMs ?? Number.POSITIVE_INFINITY;
  const d = nominalDelay(policy, retry);
  if (jitter === 'none') return [d, d];
  if (jitter === 'full') return [0, d];
  if (jitter === 'equal') return [d / 2, d];
  if (jitter === 'decorrelated') {
    const high = Math.min(cap, 3 * Math.max(policy.delayMs, previousMs ?? policy.delayMs));
    return [Math.min(policy.delayMs, high), high];
  }
  return [d * (1 - jitter), Math.min(cap, d * (1 + jitter))];
}

/** A delay drawn from the policy: what a client following it would wait before attempt `retry + 1`. */
export function nextDelay(policy: BackoffPolicy, retry: number, previousMs?: number, random: () => number = Math.random): number {
  const [low, high] = delayRange(policy, retry, previousMs);
  return low + (high - low) * random();
}

/** A one-line description: `exponential 100 ms × 2 up to 2000 ms, full jitter`. */
export function describeBackoff(policy: BackoffPolicy): string {
  const growth = policy.type === 'exponential' ? ` × ${policy.factor ?? 2}` : policy.type === 'linear' ? ' × retry' : '';
  const cap = policy.maxDelayMs === undefined ? '' : ` up to ${policy.maxDelayMs} ms`;
  const jitter = policy.jitter ?? 'none';
  const jitterText = jitter === 'none' ? 'no jitter' : typeof jitter === 'number' ? `±${Math.round(jitter * 100)} % jitter` : `${jitter} jitter`;
  return `${policy.type} ${policy.delayMs} ms${growth}${cap}, ${jitterText}`;
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds (`"2"`) or an HTTP date.
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
