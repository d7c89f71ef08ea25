/** perf.latency.slo: p50/p95/p99/max and the error rate against the declared thresholds. */
import type { Check, Outcome } from '@probe/core';
import { CHECKLIST } from '../checklist.ts';
import { headlineMetrics } from '../engine/result.ts';
import { loadEvidence } from '../evidence.ts';
import { runBudgetMs, type LoadSession, type SessionSpec } from '../session.ts';
import { describeViolations, hasLatencyThresholds, sloViolations } from '../slo.ts';
import type { LoadResult } from '../engine/result.ts';
import { LOAD_COMBINER, splitEvidence } from '../share.ts';
import type { Thresholds } from '../types.ts';
import { inconclusive } from './inconclusive.ts';
import { shape } from './throughput.ts';

/** Why closed-model latency under-reports stalls: said in every closed-model latency verdict. */
export const CLOSED_MODEL_NOTE = 'closed model: latency runs from each actual send, so while the target stalls the load waits too and the stall '
  + 'reaches only a few samples (coordinated omission); declare a rate for latency from intended send times';

export function latencyCheck(spec: SessionSpec, extraChecklist: readonly string[], writes: boolean): Check<LoadSession> {
  return {
    id: 'perf.latency.slo',
    title: 'Latency percentiles and error rate meet the SLO',
    checklist: [...CHECKLIST.latency, ...extraChecklist],
    slow: true,
    writes,
    timeoutMs: runBudgetMs(spec.plan),
    ...(spec.options.distribute ? { split: { combiner: LOAD_COMBINER } } : {}),
    async run(context) {
      if (!hasLatencyThresholds(spec.options.thresholds)) return NO_THRESHOLDS;
      const { result } = await context.resources.main(context);
      // In a shard of a distributed load the session holds this shard's share: its thresholds judge the part.
      return judgeLatency(result, context.resources.spec.options.thresholds, splitEvidence(spec.options, context));
    },
  };
}

const NO_THRESHOLDS: Outcome = { status: 'skip', summary: 'no latency thresholds declared', reason: 'no latency thresholds declared: give thresholds: { p95Ms, p99Ms, … }' };

/** The verdict on a run of the declared load: every percentile and the error rate against the thresholds. */
export function judgeLatency(result: LoadResult, thresholds: Thresholds | undefined, extra: Record<string, unknown>): Outcome {
  if (!hasLatencyThresholds(thresholds)) return NO_THRESHOLDS;
  const { load, series, histogram } = loadEvidence(result);
  const violations = sloViolations(result, thresholds);
  const evidence = {
    model: result.model,
    latency: result.latency,
    ...(result.serviceTime ? { serviceTime: result.serviceTime, sendLag: result.sendLag } : {}),
    thresholds,
    violations,
    ...(result.model === 'closed' ? { note: CLOSED_MODEL_NOTE } : {}),
    series,
    histogram,
    load,
    ...extra,
  };
  const metrics = headlineMetrics(result);
  const { p50, p95, p99, max } = result.latency;
  if (violations.length > 0) {
    const found = describeViolations(violations);
    // Open model: a generator behind its schedule adds its own lag to every latency, so the verdict is unsure.
    const unsure = result.model === 'open' && !violations.some((violation) => violation.metric === 'error_rate') ? inconclusive(result, found, evidence) : undefined;
    const busy = result.generator.cpuPercent >= 90 ? `; the generator ran at ${Math.round(result.generator.cpuPercent)} % CPU, so part of it may be its own` : '';
    return unsure ?? { status: 'fail', summary: `${found} (${shape(result)}${busy})`, evidence, metrics };
  }
  return { status: 'pass', summary: `p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, max ${max} ms within the SLO (${shape(result)})`, evidence, metrics };
}
