/**
 * How a load result goes into a check's evidence: `series` and `histogram` in
 * the shape the HTML report charts (`PerfEvidence` of @probe/core), the
 * histogram also carrying its lossless HdrHistogram encoding (`data`) for
 * `mergeLoadResults`, and the rest of the result under `load`.
 */
import { deserializeHistogram, type SerializedHistogram } from './histogram/codec.ts';
import type { LoadResult } from './engine/result.ts';

/** A serialized histogram with chart buckets and percentiles beside its lossless data. */
export interface ChartedHistogram extends SerializedHistogram {
  /** Non-cumulative counts per latency range, 1-2-5 steps in ms. */
  buckets: { le_ms: number; count: number }[];
  percentiles: { p: number; ms: number }[];
}

/** The result without the parts that sit beside it in the evidence (`series`, `histogram`), for `evidence.load`. */
export type CompactResult = Omit<LoadResult, 'series' | 'histogram'>;

/** `{ load, series, histogram }`: what a check judging a load puts in its evidence. */
export function loadEvidence(result: LoadResult): { load: CompactResult; series: LoadResult['series']; histogram: ChartedHistogram } {
  const { series, histogram, ...load } = result;
  return { load, series, histogram: chartHistogram(histogram, result) };
}

/** Add chart buckets (1-2-5 ms steps) and percentiles to a serialized histogram. */
function chartHistogram(serialized: SerializedHistogram, result: LoadResult): ChartedHistogram {
  const histogram = deserializeHistogram(serialized);
  const bounds = boundsUpTo(serialized.max / 1_000);
  const counts = new Array<number>(bounds.length).fill(0);
  let bucket = 0;
  histogram.counts.forEach((count, index) => {
    if (count === 0) return;
    const ms = histogram.valueAt(index) / 1_000;
    while (bucket < bounds.length - 1 && ms > bounds[bucket]!) bucket += 1;
    counts[bucket]! += count;
  });
  const buckets = bounds.map((le_ms, i) => ({ le_ms, count: counts[i]! }));
  const { latency } = result;
  const percentiles = [
    { p: 50, ms: latency.p50 }, { p: 90, ms: latency.p90 }, { p: 95, ms: latency.p95 },
    { p: 99, ms: latency.p99 }, { p: 99.9, ms: latency.p999 }, { p: 100, ms: latency.max },
  ];
  return { ...serialized, buckets: trimLeadingEmpty(buckets), percentiles };
}

/** 0.01, 0.02, 0.05, 0.1, … ms up to the first bound at or above `max`. */
function boundsUpTo(max: number): number[] {
  const bounds: number[] = [];
  for (let decade = 0.01; bounds.length < 40; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const bound = Math.round(decade * step * 1_000) / 1_000;
      bounds.push(bound);
      if (bound >= max) return bounds;
    }
  }
  return bounds;
}

function trimLeadingEmpty<T extends { count: number }>(buckets: T[]): T[] {
  const first = buckets.findIndex((entry) => entry.count > 0);
  return first <= 0 ? buckets : buckets.slice(first);
}
