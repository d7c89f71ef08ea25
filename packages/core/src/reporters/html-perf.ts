/**
 * The shape of a load test's evidence that the HTML report draws as charts, and
 * a tolerant reader for it: whatever does not fit is left out of the charts (it
 * still shows in the evidence JSON), never an error.
 */

/** One window of a load test: where it ended in time and what was measured in it. */
export interface PerfSample {
  /** Seconds since the load started, at the end of this window. */
  t: number;
  /** Requests completed per second in the window. */
  rps?: number;
  /** Latency percentiles of the requests completed in the window, in milliseconds. */
  p50_ms?: number;
  p95_ms?: number;
  p99_ms?: number;
  /** Requests that failed (error or timeout) in the window. */
  errors?: number;
}

/** One bar of a latency histogram. */
export interface PerfBucket {
  /** Upper bound of the bucket in milliseconds, inclusive. */
  le_ms: number;
  /** Requests whose latency was in (the previous bucket's `le_ms`, `le_ms`]: not cumulative. */
  count: number;
}

/** One latency percentile. */
export interface PerfPercentile {
  /** The percentile, 0–100: `50`, `99`, `99.9`. */
  p: number;
  /** Its latency in milliseconds. */
  ms: number;
}

/** The latency distribution of a whole load test. */
export interface PerfHistogram {
  /** Bars in increasing `le_ms`; drawn as a histogram. */
  buckets?: PerfBucket[];
  /**
   * Percentiles; drawn as bars when there are no buckets, listed otherwise.
   * A record (`{ "p50": 3.1, "p99_ms": 12, "99.9": 20 }`) is read too.
   */
  percentiles?: PerfPercentile[];
}

/**
 * What a perf check puts in its result's evidence for the HTML report to draw
 * (other evidence keys may sit beside these): `series` → a latency-over-time
 * line chart (p50/p95/p99; any other `pNN_ms` key is drawn too) and a
 * throughput chart (rps, errors); `histogram` → a latency histogram.
 * Evidence is plain JSON, so every number must be finite.
 *
 * ```json
 * { "series": [{ "t": 1, "rps": 480, "p50_ms": 2.1, "p95_ms": 6.3, "p99_ms": 11.8, "errors": 0 }],
 *   "histogram": { "buckets": [{ "le_ms": 1, "count": 120 }, { "le_ms": 2, "count": 310 }],
 *                  "percentiles": [{ "p": 50, "ms": 2.1 }, { "p": 99, "ms": 11.8 }] } }
 * ```
 */
export interface PerfEvidence {
  series?: PerfSample[];
  histogram?: PerfHistogram;
}

/** What the charts are drawn from: only finite numbers, sorted. */
export interface ChartablePerf {
  /** Samples with a finite `t`, by `t`; every other value kept only when finite. */
  series: (Record<string, number> & { t: number })[];
  /** The latency keys (`p50_ms`, …) some sample has, by percentile. */
  latencyKeys: string[];
  buckets: PerfBucket[];
  percentiles: PerfPercentile[];
}

/** The chartable part of a result's evidence, or `undefined` when there is nothing to draw. */
export function chartablePerf(evidence: Record<string, unknown>): ChartablePerf | undefined {
  const series = samplesOf(evidence.series);
  const histogram = isRecord(evidence.histogram) ? evidence.histogram : {};
  const buckets = bucketsOf(histogram.buckets);
  const percentiles = percentilesOf(histogram.percentiles);
  if (series.length === 0 && buckets.length === 0 && percentiles.length === 0) return undefined;
  const keys = new Set<string>();
  for (const sample of series) for (const key of Object.keys(sample)) if (LATENCY_KEY.test(key)) keys.add(key);
  const latencyKeys = [...keys].sort((a, b) => percentileOfKey(a) - percentileOfKey(b));
  return { series, latencyKeys, buckets, percentiles };
}

const LATENCY_KEY = /^p(\d+(?:\.\d+)?)_ms$/;
const PERCENTILE_KEY = /^p?(\d+(?:\.\d+)?)(?:_ms)?$/;

function percentileOfKey(key: string): number {
  return Number(LATENCY_KEY.exec(key)?.[1]);
}

function samplesOf(value: unknown): ChartablePerf['series'] {
  if (!Array.isArray(value)) return [];
  const samples: ChartablePerf['series'] = [];
  for (const entry of value) {
    if (!isRecord(entry) || !isFiniteNumber(entry.t)) continue;
    const sample: Record<string, number> = {};
    for (const [key, inner] of Object.entries(entry)) if (isFiniteNumber(inner)) sample[key] = inner;
    samples.push(sample as ChartablePerf['series'][number]);
  }
  return samples.sort((a, b) => a.t - b.t);
}

function bucketsOf(value: unknown): PerfBucket[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((entry): entry is PerfBucket => isRecord(entry) && isFiniteNumber(entry.le_ms) && isFiniteNumber(entry.count) && entry.count >= 0)
    .map((entry) => ({ le_ms: entry.le_ms, count: entry.count }))
    .sort((a, b) => a.le_ms - b.le_ms);
}

function percentilesOf(value: unknown): PerfPercentile[] {
  let pairs: [unknown, unknown][] = [];
  if (Array.isArray(value)) pairs = value.filter(isRecord).map((entry) => [entry.p, entry.ms]);
  else if (isRecord(value)) pairs = Object.entries(value).map(([key, ms]) => [Number(PERCENTILE_KEY.exec(key)?.[1]), ms]);
  return pairs
    .filter((pair): pair is [number, number] => isFiniteNumber(pair[0]) && pair[0] >= 0 && pair[0] <= 100 && isFiniteNumber(pair[1]))
    .map(([p, ms]) => ({ p, ms }))
    .sort((a, b) => a.p - b.p);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
