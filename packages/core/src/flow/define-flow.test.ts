import { describe, expect, it } from 'vitest';
import { probe, runChecked } from '../../test/helpers.ts';
import { isKnownItem } from '../checklist/index.ts';
import { defineFlow } from './define-flow.ts';
import { expectStep, failStep } from './step-failure.ts';
import type { StepRecord } from './types.ts';

const steps = (evidence: unknown) => (evidence as { steps: StepRecord[] }).steps;

describe('defineFlow', () => {
  it('runs steps in order, passing state along, timing each hop', async () => {
    const flow = defineFlow({
      name: 'order-placed',
      steps: [
        { name: 'create', target: 'api', run: () => ({ id: 42, total: 30 }) },
        { name: 'row', target: 'orders-db', run: ({ state }) => ({ id: (state.create as { id: number }).id, total: 30 }) },
        { name: 'event', target: 'kafka', run: ({ state }) => { expectStep((state.row as { total: number }).total === 30, 'total differs'); } },
      ],
    });
    expect(flow).toMatchObject({ id: 'system.flow.order-placed', writes: true, timeoutMs: 10_000 });
    expect(flow.checklist!.every(isKnownItem)).toBe(true);
    const { results } = await runChecked([probe('system', [flow])]);
    expect(results[0]!.status).toBe('pass');
    expect(results[0]!.summary).toMatch(/^flow order-placed: all 3 steps passed in [\d.]+ ms$/);
    expect(steps(results[0]!.evidence).map((record) => [record.step, record.status, record.output])).toEqual([
      ['create', 'pass', { id: 42, total: 30 }], ['row', 'pass', { id: 42, total: 30 }], ['event', 'pass', undefined],
    ]);
    expect(results[0]!.metrics.map((metric) => metric.name)).toEqual(['step.create_ms', 'step.row_ms', 'step.event_ms']);
  });

  it('fails naming the step where the data diverged, with its evidence, and skips the rest', async () => {
    const cleaned: string[] = [];
    const flow = defineFlow({
      name: 'order-placed',
      steps: [
        { name: 'create', run: ({ defer }) => { defer(() => { cleaned.push('order'); }); return { id: 1, total: 30 }; } },
        { name: 'row', target: 'orders-db', run: () => failStep('orders.total is 25, the API said 30', { row: { id: 1, total: 25 } }) },
        { name: 'event', run: () => 'never' },
      ],
    });
    const { results } = await runChecked([probe('system', [flow])]);
    expect(results[0]).toMatchObject({ status: 'fail', summary: 'flow order-placed failed at step 2/3 "row" (orders-db): orders.total is 25, the API said 30' });
    expect(steps(results[0]!.evidence).map((record) => record.status)).toEqual(['pass', 'fail', 'not-run']);
    expect(steps(results[0]!.evidence)[1]!.output).toEqual({ row: { id: 1, total: 25 } });
    expect(cleaned).toEqual(['order']);
  });

  it('ends as error when a step cannot run, and redacts what steps return', async () => {
    const flow = defineFlow({
      name: 'broken',
      steps: [
        { name: 'login', run: () => ({ token: 'Bearer abc.def.ghi', url: 'postgres://u:pw123@h/db' }) },
        { name: 'call', run: () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }); } },
      ],
    });
    const { results } = await runChecked([probe('system', [flow])]);
    expect(results[0]).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_UNREACHABLE', message: 'step 2/2 "call": connect ECONNREFUSED 127.0.0.1:1' } });
    expect(JSON.stringify(results[0])).not.toMatch(/abc\.def\.ghi|pw123/);
  });

  it('shares one deadline across all steps and runs clean-ups of a step that honours its signal', async () => {
    const cleaned: string[] = [];
    const wait = (ms: number, signal: AbortSignal) => new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
    });
    const flow = defineFlow({
      name: 'slow', timeoutMs: 150,
      steps: [
        { name: 'a', run: async ({ signal, defer }) => { defer(() => { cleaned.push('a'); }); await wait(100, signal); } },
        { name: 'b', run: async ({ signal }) => { await wait(100, signal); } },
      ],
    });
    const { results } = await runChecked([probe('system', [flow])]);
    expect(results[0]).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_TIMEOUT' } });
    expect(results[0]!.durationMs).toBeLessThan(250);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cleaned).toEqual(['a']);
  });

  it('is skipped under read-only unless declared non-writing', async () => {
    const flows = [defineFlow({ name: 'writes', steps: [] }), defineFlow({ name: 'reads', writes: false, steps: [] })];
    const { results } = await runChecked([probe('system', flows)], { readOnly: true });
    expect(results.map((result) => result.status)).toEqual(['skip', 'pass']);
  });
});
