/**
 * The capacity search behind perf.capacity.limit: step the arrival rate up
 * (open model, so the target cannot slow the load down) until the SLO breaks,
 * and say what broke first. One driver serves every step, so connections and
 * the JIT stay warm; each step still has a short warm-up of its own.
 */
import type { CheckContext } from '@probe/core';
import type { Driver } from './engine/driver.ts';
import { toMs } from './engine/duration.ts';
import type { LoadResult } from './engine/result.ts';
import type { LoadSession } from './session.ts';
import { sloViolations, type Violation } from './slo.ts';
import type { CapacityOptions } from './types.ts';

/** One rate tried. */
export interface CapacityStep {
  rate: number;
  result: LoadResult;
  violations: Violation[];
  /** The target answered at least 95 % of the intended rate. */
  held: boolean;
  passed: boolean;
}

/** What broke the SLO first. */
export type Breaker = 'latency' | 'errors' | 'timeouts' | 'throughput' | 'generator';

export interface CapacityRun {
  steps: CapacityStep[];
  /** The highest rate that met the SLO. */
  knee?: CapacityStep;
  /** The first step that did not, and why. */
  broke?: { step: CapacityStep; what: Breaker; detail: string };
}

/** At most this many steps, whatever the options say. */
export const MAX_STEPS = 20;
const DEFAULT_STEP_MS = 3_000;

/** The rates a capacity search tries, in order. */
export function capacityRates(capacity: CapacityOptions): number[] {
  const rates: number[] = [];
  const step = capacity.step ?? (capacity.to - capacity.from) / 5;
  for (let rate = capacity.from; rate <= capacity.to * (1 + 1e-9) && rates.length < MAX_STEPS;) {
    rates.push(Math.round(rate * 100) / 100);
    const next = capacity.factor ? rate * capacity.factor : rate + step;
    if (next <= rate) break;
    rate = next;
  }
  return rates;
}

/** How long one step runs. */
export function stepMs(capacity: CapacityOptions): number {
  return capacity.stepDuration !== undefined ? toMs(capacity.stepDuration)! : DEFAULT_STEP_MS;
}

export async function searchCapacity(session: LoadSession, driver: Driver, context: CheckContext<unknown>): Promise<CapacityRun> {
  const capacity = session.spec.options.capacity!;
  const thresholds = session.spec.options.thresholds;
  const steps: CapacityStep[] = [];
  for (const rate of capacityRates(capacity)) {
    const result = await session.runAt(driver, rate, stepMs(capacity), context);
    const violations = sloViolations(result, thresholds);
    const held = result.rps >= rate * 0.95 && result.notSent <= rate * 0.01;
    const step: CapacityStep = { rate, result, violations, held, passed: held && violations.length === 0 };
    steps.push(step);
    if (!step.passed) return { steps, knee: steps.at(-2), broke: { step, ...diagnose(step) } };
  }
  return { steps, knee: steps.at(-1) };
}

/** What broke first at a failing step. */
function diagnose(step: CapacityStep): { what: Breaker; detail: string } {
  const { result, violations } = step;
  if (result.generator.saturated) return { what: 'generator', detail: result.generator.reason ?? 'the generator could not keep up' };
  const errors = violations.find((violation) => violation.metric === 'error_rate');
  if (errors) {
    const timeouts = result.errorKinds.timeout ?? 0;
    const what = timeouts * 2 >= result.errors ? 'timeouts' : 'errors';
    return { what, detail: `error rate ${errors.actual} > ${errors.limit} (${Object.entries(result.errorKinds).map(([kind, count]) => `${kind} ×${count}`).join(', ')})` };
  }
  if (violations.length > 0) {
    const first = violations[0]!;
    return { what: 'latency', detail: `${first.metric.replace(/_ms$/, '')} ${first.actual} ms > ${first.limit} ms` };
  }
  return { what: 'throughput', detail: `answered ${Math.round(result.rps)} of ${step.rate} req/s intended (${result.notSent} never sent)` };
}
