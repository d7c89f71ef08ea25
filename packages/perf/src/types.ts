/** Public option types of @probe/perf. Durations are milliseconds or strings: `500ms`, `10s`, `2m`. */
import type { Duration } from './engine/duration.ts';
import type { Progress } from './engine/engine.ts';
import type { LoadFunction } from './function-driver.ts';
import type { RequestSpec, ResponseCheck } from './http/request.ts';

export type { Duration, LoadFunction, Progress, RequestSpec, ResponseCheck };

/** One stage of a staged load: ramp linearly from the previous level to `target` over `duration`. */
export interface StageOptions {
  duration: Duration;
  /** Arrival rate in requests/s (open model) or number of connections (closed model). */
  target: number;
}

/** The shape of a load: model, level, bounds. Shared by {@link HttpLoadOptions} and {@link LoadOptions}. */
export interface LoadShape {
  /**
   * `closed` (default without `rate`): `connections` loops, each sending its next request when the previous one
   * ends; latency from the actual send, which hides stalls (coordinated omission).
   * `open` (default with `rate`): requests leave at a constant or staged arrival rate whatever the target does;
   * latency from each request's intended send time, so stalls show in the percentiles.
   */
  model?: 'closed' | 'open';
  /** Closed model: the connections, or concurrent calls for `load(fn)` (default 10). Open model: the most requests in flight (default 100). */
  connections?: number;
  /** Open model: arrival rate in requests/s (must be > 0). With `stages`, the rate they start from (default 0). */
  rate?: number;
  /** Ramp up, hold, ramp down. Replaces `duration`: the run lasts the sum of the stages. */
  stages?: StageOptions[];
  /** How long the measured phase lasts (default 10 s, at most 1 h). */
  duration?: Duration;
  /** The most requests sent in the measured phase (default 10 000 000): the run ends at whichever bound comes first. */
  requests?: number;
  /**
   * Load before measuring, at the starting level, excluded from every figure (JIT, connection setup, the target's
   * caches). Default: a fifth of the duration, at most 1 s.
   */
  warmup?: Duration;
  /** Per-request timeout from the actual send (default 5 s). A timed-out request is an error of kind `timeout`. */
  timeout?: Duration;
  /** Open model: a request that leaves more than this after its intended time counts as late (default 10 ms). */
  lateAfter?: Duration;
}

/** Latency and error thresholds (the SLO). Latency in milliseconds. */
export interface Thresholds {
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
  maxMs?: number;
  /** Highest acceptable error rate, 0–1 (default 0.01). */
  maxErrorRate?: number;
  /** Lowest acceptable throughput in responses/s (perf.load.throughput). */
  minRps?: number;
}

/** `perf.capacity.limit`: step the arrival rate up until the SLO (`thresholds`) breaks. */
export interface CapacityOptions {
  /** First rate (requests/s). */
  from: number;
  /** Last rate tried. */
  to: number;
  /** Added at each step (default: (to - from) / 5). Give `factor` instead to multiply. */
  step?: number;
  /** Multiply the rate by this at each step (e.g. 1.5). */
  factor?: number;
  /** How long each step lasts (default 3 s); each step has a short warm-up of its own. */
  stepDuration?: Duration;
  /** The capacity the system must reach: the check fails when the knee is lower. */
  minRate?: number;
}

/** `perf.degradation`: latency at low load against latency near capacity. */
export interface DegradationOptions {
  /** Fail when the near-capacity percentile exceeds the low-load one by more than this factor (default 3). */
  maxFactor?: number;
  /** Which percentile to compare (default p95). */
  percentile?: 'p50' | 'p90' | 'p95' | 'p99';
  /** Rates to compare; default: the first and the highest passing step of perf.capacity.limit. */
  lowRate?: number;
  highRate?: number;
  /** How long each of the two runs lasts when rates are given (default 3 s). */
  stepDuration?: Duration;
}

/** `perf.resources`: CPU and memory of the target while the load runs. Give `pid` or `metricsUrl`. */
export interface ResourceOptions {
  /** A local process id, read from /proc (Linux). */
  pid?: number;
  /** A Prometheus text endpoint with the standard process metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`). */
  metricsUrl?: string;
  /** Fail above this CPU, in percent of one core (e.g. 80; a multi-threaded process can exceed 100). */
  maxCpuPercent?: number;
  /** Fail above this resident memory, in MiB. */
  maxRssMb?: number;
  /** Sampling period (default 250 ms for a pid, 1 s for a metrics URL). */
  interval?: Duration;
}

/** `perf.trend.regression`: compare with an earlier run's NDJSON (`probe run --ndjson <file>`). */
export interface BaselineOptions {
  /** The earlier run's NDJSON file. Missing: the check is skipped and says how to make one. */
  file: string;
  /** Fail when p95 or p99 grow, or throughput drops, by more than this percentage (default 20). */
  maxRegressionPercent?: number;
}

/** What every load probe accepts besides its shape and target. */
export interface LoadProbeOptions extends LoadShape {
  /** The target's name in results (default: the URL's host, or `load`). */
  name?: string;
  thresholds?: Thresholds;
  capacity?: CapacityOptions;
  degradation?: DegradationOptions;
  resources?: ResourceOptions;
  baseline?: BaselineOptions;
  /**
   * Live output while the load runs: `log` (default) writes one line per second through the check's logger
   * (stderr, redacted); `off` is silent; a function gets every second's {@link Progress}.
   */
  progress?: 'log' | 'off' | ((progress: Progress) => void);
  /** Extra checklist ids the throughput and latency checks answer (e.g. `integration.database.query.test-performance`). */
  checklist?: string[];
  /** The load changes state on the target: its checks are skipped under --read-only. Default: true unless every request is GET/HEAD/OPTIONS. */
  writes?: boolean;
  /**
   * Under `probe run --shard i/n`, every shard puts 1/n of the load on the target at the same time (connections,
   * rate, stage levels and `requests` divided; `minRps` judged per part), and `probe merge` adds the parts up into
   * one perf.load.throughput and one perf.latency.slo: histograms merge exactly, so the percentiles are those of
   * every request of every shard. The capacity search and the degradation curve are skipped in a sharded run
   * (they need the whole target to themselves). Unsharded, the option changes nothing. Default false.
   */
  distribute?: boolean;
}

/** Options of `httpLoad(...)`. */
export interface HttpLoadOptions extends LoadProbeOptions {
  /** The target: `http://` or `https://` URL; its path and query are the default request's. */
  url: string;
  /** Default GET. */
  method?: string;
  headers?: Record<string, string>;
  /** A string or bytes as is; any other value as JSON. */
  body?: unknown;
  /** Requests in flight per connection (HTTP/1.1 pipelining; default 1). */
  pipelining?: number;
  /**
   * A request per iteration: a list (cycled) or a function of the iteration number (0, 1, …; the preflight request
   * before the load is iteration 0 too). Fields left out come from the options.
   */
  generate?: RequestSpec[] | ((iteration: number) => RequestSpec);
  /** Acceptable statuses: a list or a predicate. Default: 100–399. Others count as errors of kind `status <code>`. */
  expectStatus?: number[] | ((status: number) => boolean);
  /** A predicate on each response (status, headers, body): false counts an error of kind `check`. Reads every body, so it costs speed. */
  check?: ResponseCheck;
  /**
   * `auto` (default): raw sockets for http:// (the fast path: prepared request bytes, a minimal response framer),
   * undici for https://. `undici` forces undici (proxies, TLS options, or to compare).
   */
  engine?: 'auto' | 'fast' | 'undici';
  /** TLS options for https:// (passed to undici's connector), e.g. `{ rejectUnauthorized: false }`. */
  tls?: Record<string, unknown>;
}

/** Options of `load(fn, ...)`: `connections` is the number of concurrent calls. */
export interface LoadOptions extends LoadProbeOptions {
  /** The target's kind in results (default `load`): `postgres`, `redis`, … */
  kind?: string;
  /** The target's URL for the report (redacted like any other). */
  url?: string;
  /** A predicate on each call's value: false counts an error of kind `check`. */
  check?: (value: unknown) => boolean;
}
