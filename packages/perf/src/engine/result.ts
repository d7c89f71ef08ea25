/** The plain-JSON record of one load run: what checks judge, what the evidence carries, what `mergeLoadResults` adds up. */
import type { SerializedHistogram } from '../histogram/codec.ts';
import type { Histogram } from '../histogram/hdr.ts';
import { round } from './duration.ts';

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  min: number;
  mean: number;
}

/**
 * One second of the measured phase, in the shape the HTML report charts
 * (`PerfSample` of @probe/core): latency over time and throughput.
 */
export interface SecondSample {
  /** Seconds since the measured phase began, at the end of this window (1, 2, 3, …; the last may be fractional). */
  t: number;
  /** Responses per second in the window. */
  rps: number;
  /** Requests sent in the window. */
  sent: number;
  /** Failed requests (unexpected status, failed check, timeout, connection error) in the window. */
  errors: number;
  /** Latency of the window's responses in ms (1 % precision). */
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

/** What one run of the load engine measured. Every latency is in milliseconds unless named `…Us`. */
export interface LoadResult {
  /** `closed`: N connections each sending when the previous response ends. `open`: requests sent at intended times (a rate). */
  model: 'closed' | 'open';
  /** The transport: `http-fast` (raw sockets), `undici`, or `function`. */
  driver: string;
  /** Connections (or concurrent callers) and requests in flight per connection. */
  connections: number;
  pipelining: number;
  /** Open model: the intended arrival rate at its peak (requests/s). */
  rate?: number;
  startedAt: string;
  /** The measured span: from the end of warm-up to the last response (ms). */
  durationMs: number;
  warmupMs: number;
  /** Requests sent during warm-up (excluded from every figure below). */
  warmupRequests: number;
  /** Requests sent in the measured phase. */
  sent: number;
  /** Requests that got a response (any status). */
  completed: number;
  /** Completed with an expected status and a passing response check. */
  ok: number;
  /** Requests that failed without a response: timeout, connection error, bad response. */
  failed: number;
  /** Failed requests: unexpected status, failed check, and `failed`. */
  errors: number;
  /** errors / (completed + failed). */
  errorRate: number;
  /** Failed requests by kind: `status 503`, `check`, `timeout`, `ECONNRESET`, … */
  errorKinds: Record<string, number>;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Open model: requests intended within the run that were never sent (the target or the generator could not keep up). */
  notSent: number;
  /** Responses per second over the measured span. */
  rps: number;
  /** Bytes received (headers and bodies). */
  bytesReceived: number;
  /**
   * Latency. Open model: from each request's intended send time to its response (coordinated-omission corrected,
   * as wrk2 does). Closed model: from the actual send (service time; hides stalls, see the README).
   */
  latency: LatencySummary;
  /** Open model: from the actual send to the response (uncorrected), for comparison. */
  serviceTime?: LatencySummary;
  /** Open model: how late requests left compared with their intended time (the generator's own lag). */
  sendLag?: LatencySummary & { lateAfterMs: number; late: number };
  /**
   * The generator's CPU over the measured span, in percent of one core; `saturated` when it was the limit.
   * `connectionsExhausted` (open model): requests were due while every connection was busy, so they waited
   * for one; their latency counts the wait, as a real client's would; more `connections` remove it.
   */
  generator: { cpuPercent: number; saturated: boolean; reason?: string; connectionsExhausted?: boolean };
  /** Throughput and latency per second. */
  series: SecondSample[];
  /** The latency histogram in µs, lossless (HdrHistogram V2): merge shards with `mergeLoadResults`. */
  histogram: SerializedHistogram;
  serviceHistogram?: SerializedHistogram;
  sendLagHistogram?: SerializedHistogram;
  /** Set on results combined by `mergeLoadResults`: how many runs went in. */
  mergedFrom?: number;
}

const PERCENTILES = [50, 90, 95, 99, 99.9] as const;

/** Percentiles of a µs histogram, in ms. */
export function summarize(histogram: Histogram): LatencySummary {
  const [p50, p90, p95, p99, p999] = histogram.percentiles(PERCENTILES).map(toMs) as [number, number, number, number, number];
  return { p50, p90, p95, p99, p999, max: toMs(histogram.max), min: toMs(histogram.min), mean: toMs(histogram.mean()) };
}

function toMs(us: number): number {
  return round(us / 1_000);
}

/** The result's headline metrics, named as the issue fixes them: rps, p50_ms, p95_ms, p99_ms, max_ms, error_rate. */
export function headlineMetrics(result: LoadResult): { name: string; value: number; unit: string }[] {
  const metrics = [
    { name: 'rps', value: round(result.rps), unit: 'rps' },
    { name: 'p50_ms', value: result.latency.p50, unit: 'ms' },
    { name: 'p95_ms', value: result.latency.p95, unit: 'ms' },
    { name: 'p99_ms', value: result.latency.p99, unit: 'ms' },
    { name: 'max_ms', value: result.latency.max, unit: 'ms' },
    { name: 'error_rate', value: round(result.errorRate), unit: 'ratio' },
    { name: 'requests', value: result.completed + result.failed, unit: 'count' },
  ];
  if (result.sendLag) metrics.push({ name: 'send_lag_p99_ms', value: result.sendLag.p99, unit: 'ms' });
  return metrics;
}

/** `1,234 req/s, p50 0.41 ms, p99 2.1 ms, max 7.9 ms, 0.1 % errors`: the one-line headline of a run. */
export function describeRun(result: LoadResult): string {
  const { latency } = result;
  const errors = result.errors === 0 ? 'no errors' : `${percent(result.errorRate)} errors (${topKinds(result.errorKinds)})`;
  return `${Math.round(result.rps).toLocaleString('en-US')} req/s, p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms, ${errors}`;
}

/** `0.12 %`. */
export function percent(ratio: number): string {
  return `${round(ratio * 100)} %`;
}

/** The three most frequent error kinds: `status 503 ×12, timeout ×3`. */
export function topKinds(kinds: Record<string, number>): string {
  return Object.entries(kinds).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([kind, count]) => `${kind} ×${count}`).join(', ');
}
