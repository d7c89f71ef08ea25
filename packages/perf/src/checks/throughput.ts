/** perf.load.throughput: the declared load is sustained, with errors under the threshold. */
import type { Check, Outcome } from '@probe/core';
import { CHECKLIST } from '../checklist.ts';
import { formatMs, round } from '../engine/duration.ts';
import { describeRun, headlineMetrics, percent, topKinds, type LoadResult } from '../engine/result.ts';
import { loadEvidence } from '../evidence.ts';
import { runBudgetMs, type LoadSession, type SessionSpec } from '../session.ts';
import { errorViolation } from '../slo.ts';
import { LOAD_COMBINER, splitEvidence } from '../share.ts';
import type { Thresholds } from '../types.ts';
import { inconclusive } from './inconclusive.ts';

export function throughputCheck(spec: SessionSpec, extraChecklist: readonly string[], writes: boolean): Check<LoadSession> {
  return {
    id: 'perf.load.throughput',
    title: 'Sustains the declared load with errors under the threshold',
    checklist: [...CHECKLIST.throughput, ...extraChecklist],
    slow: true,
    writes,
    timeoutMs: runBudgetMs(spec.plan),
    ...(spec.options.distribute ? { split: { combiner: LOAD_COMBINER } } : {}),
    async run(context) {
      const { result } = await context.resources.main(context);
      // In a shard of a distributed load the session holds this shard's share: its thresholds judge the part.
      const own = context.resources.spec;
      return judgeThroughput(result, own.options.thresholds, { ...(own.reproduce ? { reproduce: own.reproduce(own.plan) } : {}), ...splitEvidence(spec.options, context) });
    },
  };
}

/** The verdict on a run of the declared load: errors under the threshold, the rate sustained (`minRps`, open-model shortfall). */
export function judgeThroughput(result: LoadResult, thresholds: Thresholds | undefined, extra: Record<string, unknown>): Outcome {
  const evidence = { ...loadEvidence(result), ...extra };
  const errors = errorViolation(result, thresholds);
  const rateProblems: string[] = [];
  if (thresholds?.minRps !== undefined && result.rps < thresholds.minRps) {
    rateProblems.push(`${Math.round(result.rps).toLocaleString('en-US')} req/s < ${thresholds.minRps.toLocaleString('en-US')} required`);
  }
  const shortfall = openShortfall(result);
  if (shortfall) rateProblems.push(shortfall);
  const problems = [
    ...(errors ? [`${percent(result.errorRate)} of requests failed (${topKinds(result.errorKinds)}), above ${percent(errors.limit)}`] : []),
    ...rateProblems,
  ];
  const metrics = headlineMetrics(result);
  if (problems.length > 0) {
    // Errors are the target's whatever the generator did; a low rate may be the generator's own limit.
    const unsure = errors ? undefined : inconclusive(result, problems.join('; '), evidence);
    return unsure ?? { status: 'fail', summary: `${problems.join('; ')} (${shape(result)})`, evidence, metrics };
  }
  return { status: 'pass', summary: `${describeRun(result)} (${shape(result)})`, evidence, metrics };
}

/** Open model: the target did not keep up with the intended rate. */
function openShortfall(result: LoadResult): string | undefined {
  if (result.model !== 'open') return undefined;
  const intended = result.sent + result.notSent;
  if (intended === 0) return undefined;
  const answered = result.completed / intended;
  if (answered >= 0.99 && result.notSent <= intended * 0.01) return undefined;
  return `only ${percent(answered)} of the ${intended.toLocaleString('en-US')} intended requests were answered in time (${result.notSent} never sent: every connection was busy)`;
}

/** `closed model, 10 connections, 10 s` / `open model, 1,000 req/s, 10 s`. */
export function shape(result: LoadResult): string {
  const level = result.model === 'open' ? `${(result.rate ?? 0).toLocaleString('en-US')} req/s intended` : `${result.connections} connections`;
  const pipelining = result.pipelining > 1 ? `, pipelining ${result.pipelining}` : '';
  return `${result.model} model, ${level}${pipelining}, ${formatMs(round(result.durationMs))}`;
}
