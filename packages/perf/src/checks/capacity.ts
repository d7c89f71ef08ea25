/** perf.capacity.limit: step the arrival rate up until the SLO breaks; the knee and what broke first. */
import type { Check, Outcome } from '@probe/core';
import { capacityRates, stepMs, type CapacityRun, type CapacityStep } from '../capacity-search.ts';
import { CHECKLIST } from '../checklist.ts';
import { inShareOfLoad } from '../share.ts';
import { round } from '../engine/duration.ts';
import { runBudgetMs, type LoadSession, type SessionSpec } from '../session.ts';
import { describeViolations } from '../slo.ts';
import { GENERATOR_LIMIT } from './inconclusive.ts';

export function capacityCheck(spec: SessionSpec, writes: boolean): Check<LoadSession> {
  return {
    id: 'perf.capacity.limit',
    title: 'Capacity: the highest arrival rate that still meets the SLO',
    checklist: [...CHECKLIST.capacity],
    slow: true,
    writes,
    timeoutMs: capacityBudgetMs(spec),
    async run(context) {
      if (inShareOfLoad(spec.options, context)) return WHOLE_TARGET_ONLY;
      const capacity = spec.options.capacity;
      if (!capacity) return { status: 'skip', summary: 'no capacity search declared', reason: 'not configured: give capacity: { from, to, step }' };
      return judgeCapacity(await context.resources.capacity(context), capacity.minRate);
    },
  };
}

/** A capacity search (and the degradation curve) in one shard of a distributed load would share the target with the other shards. */
export const WHOLE_TARGET_ONLY: Outcome = {
  status: 'skip',
  summary: 'skipped in a sharded run of a distributed load',
  reason: "the search needs the whole target to itself: run it unsharded (probe run --only 'perf.capacity.*' --only perf.degradation)",
};

/** Every step of the search at its full length, with a margin per step: the check's deadline. */
export function capacityBudgetMs(spec: SessionSpec): number {
  const capacity = spec.options.capacity;
  if (!capacity) return 5_000;
  const steps = capacityRates(capacity).length;
  const { plan } = spec;
  return runBudgetMs(plan) + steps * (stepMs(capacity) + 500 + plan.timeoutMs + 500);
}

/** The verdict on a capacity search. */
export function judgeCapacity(run: CapacityRun, minRate: number | undefined): Outcome {
  const evidence = { steps: run.steps.map(stepRow), ...(run.broke ? { broke: { rate: run.broke.step.rate, what: run.broke.what, detail: run.broke.detail } } : {}) };
  const knee = run.knee?.rate;
  const metrics = knee !== undefined ? [{ name: 'capacity_rps', value: knee, unit: 'rps' }] : [];
  const broke = run.broke;
  if (broke?.what === 'generator' && (knee === undefined || (minRate !== undefined && knee < minRate))) {
    const message = `inconclusive: at ${broke.step.rate} req/s ${broke.detail}; the target's limit is above what this machine can generate`;
    return { status: 'error', summary: message, error: { code: GENERATOR_LIMIT, message }, evidence, metrics };
  }
  if (knee === undefined) {
    return { status: 'fail', summary: `the SLO broke already at the first step, ${broke!.step.rate} req/s: ${broke!.what} (${broke!.detail})`, evidence, metrics };
  }
  const tail = broke
    ? broke.what === 'generator'
      ? `; at ${broke.step.rate} req/s the generator reached its own limit, so the target's is higher`
      : `; at ${broke.step.rate} req/s ${broke.what} broke first (${broke.detail})`
    : `; the SLO held at every step up to ${knee} req/s (raise capacity.to to find the limit)`;
  if (minRate !== undefined && knee < minRate) {
    return { status: 'fail', summary: `capacity ${knee} req/s is below the required ${minRate} req/s${tail}`, evidence, metrics };
  }
  return { status: 'pass', summary: `capacity ≈ ${knee} req/s (the highest step meeting the SLO)${tail}`, evidence, metrics };
}

function stepRow(step: CapacityStep) {
  const { result } = step;
  return {
    rate: step.rate, rps: round(result.rps), p50_ms: result.latency.p50, p95_ms: result.latency.p95, p99_ms: result.latency.p99,
    max_ms: result.latency.max, error_rate: round(result.errorRate), not_sent: result.notSent, passed: step.passed,
    ...(step.violations.length > 0 ? { broke: describeViolations(step.violations) } : {}),
  };
}
