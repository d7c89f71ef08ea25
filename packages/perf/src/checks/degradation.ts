/** perf.degradation: latency at low load against latency near capacity, within a declared factor. */
import type { Check, CheckContext } from '@probe/core';
import { stepMs } from '../capacity-search.ts';
import { CHECKLIST } from '../checklist.ts';
import { inShareOfLoad } from '../share.ts';
import { round, toMs } from '../engine/duration.ts';
import type { LoadResult } from '../engine/result.ts';
import type { LoadSession, SessionSpec } from '../session.ts';
import { WHOLE_TARGET_ONLY, capacityBudgetMs } from './capacity.ts';

/** Latencies below this count as this when comparing: sub-millisecond jitter is not degradation. */
export const FLOOR_MS = 1;
const DEFAULT_FACTOR = 3;
const DEFAULT_STEP_MS = 3_000;

interface Point {
  rate: number;
  result: LoadResult;
}

export function degradationCheck(spec: SessionSpec, writes: boolean): Check<LoadSession> {
  const options = spec.options.degradation;
  const ownRunMs = options?.lowRate !== undefined ? 2 * (stepDurationMs(spec) + 500 + spec.plan.timeoutMs) + 10_000 : 0;
  return {
    id: 'perf.degradation',
    title: 'Latency near capacity stays within a factor of latency at low load',
    checklist: [...CHECKLIST.degradation],
    slow: true,
    writes,
    timeoutMs: Math.max(ownRunMs, capacityBudgetMs(spec)),
    async run(context) {
      if (inShareOfLoad(spec.options, context)) return WHOLE_TARGET_ONLY;
      if (!options) return { status: 'skip', summary: 'no degradation limit declared', reason: 'not configured: give degradation: { maxFactor }' };
      const points = await comparePoints(context.resources, context);
      if (!points) {
        return { status: 'skip', summary: 'nothing to compare', reason: 'give degradation.lowRate and highRate, or a capacity search with at least two steps meeting the SLO' };
      }
      const [low, high] = points;
      const percentile = options.percentile ?? 'p95';
      const maxFactor = options.maxFactor ?? DEFAULT_FACTOR;
      const lowMs = low.result.latency[percentile];
      const highMs = high.result.latency[percentile];
      const factor = round(Math.max(highMs, FLOOR_MS) / Math.max(lowMs, FLOOR_MS));
      const change = `${percentile} ${lowMs} ms at ${low.rate} req/s → ${highMs} ms at ${high.rate} req/s: ${factor}×`;
      const evidence = {
        percentile, maxFactor, factor, floorMs: FLOOR_MS,
        low: { rate: low.rate, rps: round(low.result.rps), latency: low.result.latency, errorRate: round(low.result.errorRate) },
        high: { rate: high.rate, rps: round(high.result.rps), latency: high.result.latency, errorRate: round(high.result.errorRate) },
      };
      const metrics = [{ name: 'degradation_factor', value: factor, unit: 'ratio' }];
      if (factor > maxFactor) return { status: 'fail', summary: `latency degrades beyond ${maxFactor}×: ${change}`, evidence, metrics };
      return { status: 'pass', summary: `${change} (limit ${maxFactor}×)`, evidence, metrics };
    },
  };
}

/** Low and near-capacity points: the declared rates, or the capacity search's first and highest passing steps. */
async function comparePoints(session: LoadSession, context: CheckContext<unknown>): Promise<[Point, Point] | undefined> {
  const options = session.spec.options.degradation!;
  if (options.lowRate !== undefined && options.highRate !== undefined) {
    const duration = stepDurationMs(session.spec);
    return session.withDriver(session.spec.plan.connections, context, async (driver) => [
      { rate: options.lowRate!, result: await session.runAt(driver, options.lowRate!, duration, context) },
      { rate: options.highRate!, result: await session.runAt(driver, options.highRate!, duration, context) },
    ]);
  }
  if (!session.spec.options.capacity) return undefined;
  const run = await session.capacity(context);
  const first = run.steps[0];
  if (!first?.passed || !run.knee || run.knee === first) return undefined;
  return [{ rate: first.rate, result: first.result }, { rate: run.knee.rate, result: run.knee.result }];
}

function stepDurationMs(spec: SessionSpec): number {
  const { degradation, capacity } = spec.options;
  if (degradation?.stepDuration !== undefined) return toMs(degradation.stepDuration)!;
  return capacity ? stepMs(capacity) : DEFAULT_STEP_MS;
}
