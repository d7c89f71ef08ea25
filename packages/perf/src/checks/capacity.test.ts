import { afterEach, describe, expect, it } from 'vitest';
import { capacityRates, type CapacityStep } from '../capacity-search.ts';
import type { LoadResult } from '../engine/result.ts';
import { httpLoad } from '../http-load.ts';
import { startLoadTarget, type LoadTarget } from '../testing/index.ts';
import { judgeCapacity } from './capacity.ts';
import { runProbe } from './run-probe.test-helper.ts';

let target: LoadTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

/** One request at a time, 10 ms each: the target saturates near 100 req/s. */
const known = { capacity: { concurrency: 1, serviceMs: 10 } };
const search = { from: 30, to: 240, factor: 2, stepDuration: '600ms' };

describe('perf.capacity.limit', () => {
  it('finds the knee below the saturation point and says what broke first; degradation reuses the search', async (context) => {
    target = await startLoadTarget(known);
    const results = await runProbe(httpLoad({
      url: target.url, rate: 30, duration: '200ms', warmup: 0, progress: 'off', timeout: '2s',
      thresholds: { p95Ms: 60 }, capacity: { ...search, minRate: 50 }, degradation: { maxFactor: 100 },
    }), ['perf.capacity.limit', 'perf.degradation']);
    const capacity = results['perf.capacity.limit']!;
    // On a machine so busy that the generator itself falls behind, the check says so instead of guessing: so does the test.
    if (capacity.error?.code === 'PERF_ERR_GENERATOR') return context.skip(`machine too busy: ${capacity.summary}`);
    expect(capacity.status).toBe('pass');
    expect(capacity.summary).toMatch(/^capacity ≈ 60 req\/s \(the highest step meeting the SLO\); at 120 req\/s (latency|throughput) broke first/);
    expect(capacity.metrics).toEqual([{ name: 'capacity_rps', value: 60, unit: 'rps' }]);
    const evidence = capacity.evidence as { steps: { rate: number; passed: boolean }[]; broke: { rate: number } };
    expect(evidence.steps.map((step) => [step.rate, step.passed])).toEqual([[30, true], [60, true], [120, false]]);
    const degradation = results['perf.degradation']!;
    expect(degradation.status).toBe('pass');
    expect(degradation.evidence).toMatchObject({ low: { rate: 30 }, high: { rate: 60 } });
  });

  it('fails when the knee is below the required capacity; a generator at its limit makes it inconclusive', () => {
    const step = (rate: number, passed: boolean, saturated = false): CapacityStep => ({
      rate, passed, held: passed, violations: passed ? [] : [{ metric: 'p95_ms', limit: 60, actual: 300 }],
      result: { rps: rate, errorRate: 0, notSent: 0, errors: 0, errorKinds: {}, latency: { p50: 1, p95: passed ? 5 : 300, p99: 9, max: 9 }, generator: { saturated, cpuPercent: 50, ...(saturated ? { reason: 'the generator used 99 % of a core' } : {}) } } as unknown as LoadResult,
    });
    const steps = [step(30, true), step(60, true), step(120, false)];
    const below = judgeCapacity({ steps, knee: steps[1], broke: { step: steps[2]!, what: 'latency', detail: 'p95 300 ms > 60 ms' } }, 100);
    expect(below.status).toBe('fail');
    expect(below.summary).toBe('capacity 60 req/s is below the required 100 req/s; at 120 req/s latency broke first (p95 300 ms > 60 ms)');
    const generator = [step(30, true), step(60, false, true)];
    const unsure = judgeCapacity({ steps: generator, knee: generator[0], broke: { step: generator[1]!, what: 'generator', detail: 'the generator used 99 % of a core' } }, 100);
    expect(unsure.status).toBe('error');
    expect(unsure.error?.code).toBe('PERF_ERR_GENERATOR');
    const held = judgeCapacity({ steps: generator.slice(0, 1), knee: generator[0] }, undefined);
    expect(held.summary).toBe('capacity ≈ 30 req/s (the highest step meeting the SLO); the SLO held at every step up to 30 req/s (raise capacity.to to find the limit)');
  });

  it('fails when the SLO breaks at the first step, and is skipped when not configured', async () => {
    target = await startLoadTarget({ delayMs: 50 });
    const results = await runProbe(httpLoad({
      url: target.url, rate: 20, duration: '200ms', warmup: 0, progress: 'off',
      thresholds: { p50Ms: 10 }, capacity: { from: 20, to: 40, stepDuration: '300ms' },
    }), ['perf.capacity.limit']);
    expect(results['perf.capacity.limit']!.summary).toMatch(/^the SLO broke already at the first step, 20 req\/s: latency \(p50 \d+/);
    const skipped = await runProbe(httpLoad({ url: target.url, duration: '200ms', progress: 'off' }), ['perf.capacity.limit', 'perf.degradation']);
    expect(skipped['perf.capacity.limit']!.status).toBe('skip');
    expect(skipped['perf.degradation']!.status).toBe('skip');
  });

  it('steps: additive, multiplicative, bounded', () => {
    expect(capacityRates({ from: 100, to: 500 })).toEqual([100, 180, 260, 340, 420, 500]);
    expect(capacityRates({ from: 100, to: 1_000, factor: 2 })).toEqual([100, 200, 400, 800]);
    expect(capacityRates({ from: 1, to: 1_000_000, step: 1 })).toHaveLength(20);
  });
});
