/** The shards' parts of a distributed load's throughput and latency checks, made into the result of the whole. */
import { ProbeErrorCode, type Outcome, type Result } from '@probe/core';
import { judgeLatency } from './checks/latency.ts';
import { judgeThroughput } from './checks/throughput.ts';
import type { LoadResult } from './engine/result.ts';
import { loadResultOf, mergeLoadResults } from './merge.ts';
import type { SplitEvidence } from './share.ts';
import type { Thresholds } from './types.ts';

/** Judges a whole load against the declared thresholds, as the unsharded check does. */
type LoadJudge = (result: LoadResult, thresholds: Thresholds | undefined, extra: Record<string, unknown>) => Outcome;

const JUDGES: Readonly<Record<string, LoadJudge>> = {
  'perf.load.throughput': judgeThroughput,
  'perf.latency.slo': judgeLatency,
};

/**
 * The combiner of split perf checks (`@probe/perf#combineLoadParts`): the parts' load results merged
 * ({@link mergeLoadResults}: counts add up, histograms merge exactly) and judged again, by the same judge as
 * an unsharded run, against the declared thresholds. A part that ended in error makes the whole an error; parts
 * that were all skipped make it a skip.
 */
export function combineLoadParts(parts: readonly Result[]): Result {
  const first = parts[0]!;
  const { part: _part, error: _error, reason: _reason, ...base } = first;
  const startedAt = parts.map((part) => part.startedAt).sort()[0]!;
  const durationMs = Math.max(...parts.map((part) => part.durationMs));
  const shards = parts.map((part) => ({ shard: part.part?.index, status: part.status, summary: part.summary }));
  const whole = (outcome: Pick<Result, 'status' | 'summary' | 'evidence' | 'metrics'> & Pick<Partial<Result>, 'error' | 'reason'>): Result => ({ ...base, startedAt, durationMs, ...outcome });
  const broken = parts.filter((part) => part.status === 'error');
  if (broken.length > 0) {
    const named = broken.map((part) => `shard ${part.part?.index}: ${part.summary}`).join('; ');
    return whole({ status: 'error', summary: named, error: broken[0]!.error ?? { code: ProbeErrorCode.CHECK, message: named }, evidence: { shards }, metrics: [] });
  }
  if (parts.every((part) => part.status === 'skip')) return whole({ status: 'skip', summary: first.summary, reason: first.reason ?? first.summary, evidence: {}, metrics: [] });
  const loads = parts.map(loadResultOf);
  const judge = JUDGES[first.id];
  if (loads.some((load) => load === undefined) || !judge) {
    const summary = judge ? 'a part carries no load result to merge' : `${first.id} is not a check @probe/perf can combine`;
    return whole({ status: 'error', summary, error: { code: ProbeErrorCode.CHECK, message: summary }, evidence: { shards }, metrics: [] });
  }
  const merged = mergeLoadResults(loads as LoadResult[]);
  const { declaredThresholds: declared, reproduce } = first.evidence as SplitEvidence;
  const extra = reproduce ? { reproduce } : {};
  const outcome = judge(merged, declared, extra);
  return whole({
    status: outcome.status,
    summary: `${outcome.summary}; ${parts.length} shards together`,
    evidence: { ...(outcome.evidence ?? {}), shards, declaredThresholds: declared },
    metrics: outcome.metrics ?? [],
    ...(outcome.status === 'skip' ? { reason: outcome.reason ?? outcome.summary } : {}),
  });
}
