import { z } from 'zod';

/** A positive integer. */
export const positive = z.number().int().positive();
/** A non-negative number. */
export const nonNegative = z.number().nonnegative();
/** A function option (zod cannot check a signature). */
export const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', { message: `expected ${what}` });

/** Sizes and bounds of the shared operations checks (every driver). */
export const opsSchema = z.strictObject({
  /** Messages with one key in the ordering check (default 50). */
  orderingMessages: positive.max(10_000).default(50),
  /** Messages in the persistence check; the first consumer acknowledges half (default 20). */
  persistenceMessages: positive.min(2).max(10_000).default(20),
  /** Messages produced and consumed by the throughput check (default 2 000). */
  throughputMessages: positive.max(1_000_000).default(2_000),
  /** Payload size of the throughput messages, in bytes (default 1 024). */
  messageBytes: positive.max(1_048_576).default(1_024),
  /** Bound on each direction of the throughput check, in ms (default 3 000): it stops early and reports the rate so far. */
  throughputTimeMs: positive.default(3_000),
  /** How long a consumer may take to receive what was published, in ms (default 3 000). */
  consumeTimeoutMs: positive.default(3_000),
});

/** Thresholds of the shared operations checks. */
export const opsThresholdsSchema = z.strictObject({
  /** Publish-to-confirm latency above this warns (default 1 000 ms). */
  publishLatencyMs: nonNegative.default(1_000),
  /** Publish-to-receive round trip above this warns (default 2 000 ms). */
  roundTripMs: nonNegative.default(2_000),
  /** Publish rate (msgs/s) below this fails (default 0: report only). */
  minPublishRate: nonNegative.default(0),
  /** Consume rate (msgs/s) below this fails (default 0: report only). */
  minConsumeRate: nonNegative.default(0),
});

/** How trend checks (backlog, DLQ growth) sample: `samples` readings, `intervalMs` apart. */
export const samplingSchema = z.strictObject({
  /** Readings per window (default 5; Burrow's default window is 10). At least 2. */
  samples: positive.min(2).max(100).default(5),
  /**
   * Time between readings in ms (default 1 000). Make it at least the consumers'
   * commit interval (Java's auto.commit.interval.ms is 5 000), or a healthy
   * consumer looks stalled.
   */
  intervalMs: positive.default(1_000),
});

/** Probe-owned objects older than this (from runs that crashed) are reported by `queue.mgmt.cleanup`. */
export const staleAfterMs = positive.default(3_600_000);

export type OpsOptions = z.output<typeof opsSchema>;
export type OpsThresholds = z.output<typeof opsThresholdsSchema>;
export type SamplingOptions = z.output<typeof samplingSchema>;

/** The window length of a sampling option in ms. */
export function windowMs(sampling: SamplingOptions): number {
  return (sampling.samples - 1) * sampling.intervalMs;
}

/** Slack on top of a window for the reads around it. */
const WINDOW_SLACK_MS = 4_000;

/**
 * The scheduling of a read-only check that samples over the window: it runs
 * side by side with the other window checks (one window for all), is `slow`
 * past 2 s, and its deadline is the window plus slack plus `extraMs`.
 */
export function windowTiming(sampling: SamplingOptions, extraMs = 0): { parallel: true; slow: boolean; timeoutMs: number } {
  const window = windowMs(sampling);
  return { parallel: true, slow: window > 2_000, timeoutMs: window + WINDOW_SLACK_MS + extraMs };
}
