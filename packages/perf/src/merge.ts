/**
 * Combine the results of one load run in shards (several machines, the same
 * load each, at the same time) into the result of the whole: histograms add
 * exactly, so the percentiles are true percentiles of every request.
 */
import { ProbeError, ProbeErrorCode, type Result } from '@probe/core';
import { deserializeHistogram, serializeHistogram, type SerializedHistogram } from './histogram/codec.ts';
import { Histogram } from './histogram/hdr.ts';
import { round } from './engine/duration.ts';
import { summarize, type LoadResult, type SecondSample } from './engine/result.ts';

/**
 * Merge shard results. Counts, kinds and statuses add up; `rps`, `connections` and `rate` add up (the shards ran
 * together); `durationMs` is the longest. Latency comes from the merged histograms. Per-second samples are
 * aligned by index: counts add up, and each second's percentiles are the highest of the shards' (an upper bound:
 * a second's own histogram is not kept).
 */
export function mergeLoadResults(results: readonly LoadResult[]): LoadResult {
  if (results.length === 0) throw new ProbeError(ProbeErrorCode.CONFIG, 'nothing to merge: give at least one load result');
  const model = results[0]!.model;
  if (results.some((result) => result.model !== model)) {
    throw new ProbeError(ProbeErrorCode.CONFIG, 'cannot merge load results of different models (closed and open)');
  }
  const sum = (pick: (result: LoadResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  const latency = mergeHistograms(results.map((result) => result.histogram));
  const open = model === 'open' && results.every((result) => result.serviceHistogram && result.sendLagHistogram);
  const service = open ? mergeHistograms(results.map((result) => result.serviceHistogram!)) : undefined;
  const lag = open ? mergeHistograms(results.map((result) => result.sendLagHistogram!)) : undefined;
  const completed = sum((result) => result.completed);
  const failed = sum((result) => result.failed);
  const errors = sum((result) => result.errors);
  const reasons = results.map((result) => result.generator.reason).filter((reason): reason is string => reason !== undefined);
  const first = results[0]!;
  return {
    model,
    driver: [...new Set(results.map((result) => result.driver))].join('+'),
    connections: sum((result) => result.connections),
    pipelining: Math.max(...results.map((result) => result.pipelining)),
    ...(model === 'open' ? { rate: round(sum((result) => result.rate ?? 0)) } : {}),
    startedAt: results.map((result) => result.startedAt).sort()[0]!,
    durationMs: Math.max(...results.map((result) => result.durationMs)),
    warmupMs: Math.max(...results.map((result) => result.warmupMs)),
    warmupRequests: sum((result) => result.warmupRequests),
    sent: sum((result) => result.sent),
    completed,
    ok: sum((result) => result.ok),
    failed,
    errors,
    errorRate: completed + failed === 0 ? 0 : errors / (completed + failed),
    errorKinds: addRecords(results.map((result) => result.errorKinds)),
    statuses: addRecords(results.map((result) => result.statuses)),
    notSent: sum((result) => result.notSent),
    rps: sum((result) => result.rps),
    bytesReceived: sum((result) => result.bytesReceived),
    latency: summarize(latency),
    ...(service && lag ? {
      serviceTime: summarize(service),
      sendLag: { ...summarize(lag), lateAfterMs: first.sendLag?.lateAfterMs ?? 0, late: sum((result) => result.sendLag?.late ?? 0) },
    } : {}),
    generator: {
      cpuPercent: Math.max(...results.map((result) => result.generator.cpuPercent)),
      saturated: results.some((result) => result.generator.saturated),
      ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
      ...(results.some((result) => result.generator.connectionsExhausted) ? { connectionsExhausted: true } : {}),
    },
    series: mergeSeries(results.map((result) => result.series)),
    histogram: serializeHistogram(latency),
    ...(service && lag ? { serviceHistogram: serializeHistogram(service), sendLagHistogram: serializeHistogram(lag) } : {}),
    mergedFrom: sum((result) => result.mergedFrom ?? 1),
  };
}

/**
 * The load result inside a check result (`perf.load.throughput`'s evidence), as read back from an NDJSON run:
 * undefined when the result carries none.
 */
export function loadResultOf(result: Pick<Result, 'evidence'>): LoadResult | undefined {
  const { load, series, histogram } = result.evidence as { load?: Omit<LoadResult, 'series' | 'histogram'>; series?: SecondSample[]; histogram?: SerializedHistogram };
  if (!load || !histogram || histogram.format !== 'HdrHistogram-V2') return undefined;
  const { format, unit, count, min, max, sum, clamped, data } = histogram;
  return { ...load, series: series ?? [], histogram: { format, unit, count, min, max, sum, clamped, data } };
}

function mergeHistograms(serialized: readonly SerializedHistogram[]): Histogram {
  const merged = new Histogram();
  for (const entry of serialized) merged.add(deserializeHistogram(entry));
  return merged;
}

function addRecords(records: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) out[key] = (out[key] ?? 0) + value;
  return out;
}

function mergeSeries(all: readonly SecondSample[][]): SecondSample[] {
  const length = Math.max(0, ...all.map((series) => series.length));
  return Array.from({ length }, (_, index) => {
    const samples = all.map((series) => series[index]).filter((sample): sample is SecondSample => sample !== undefined);
    const top = (pick: (sample: SecondSample) => number) => Math.max(...samples.map(pick));
    const add = (pick: (sample: SecondSample) => number) => round(samples.reduce((total, sample) => total + pick(sample), 0));
    return {
      t: top((sample) => sample.t), rps: add((sample) => sample.rps), sent: add((sample) => sample.sent), errors: add((sample) => sample.errors),
      p50_ms: top((sample) => sample.p50_ms), p95_ms: top((sample) => sample.p95_ms), p99_ms: top((sample) => sample.p99_ms), max_ms: top((sample) => sample.max_ms),
    };
  });
}
