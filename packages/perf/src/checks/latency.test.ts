import { afterEach, describe, expect, it } from 'vitest';
import { httpLoad } from '../http-load.ts';
import { startLoadTarget, type LoadTarget } from '../testing/index.ts';
import { CLOSED_MODEL_NOTE } from './latency.ts';
import { runProbe } from './run-probe.test-helper.ts';

let target: LoadTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const only = ['perf.latency.slo'];

describe('perf.latency.slo', () => {
  it('is skipped, and sends nothing, without latency thresholds', async () => {
    target = await startLoadTarget();
    const { 'perf.latency.slo': result } = await runProbe(httpLoad({ url: target.url, duration: '300ms', progress: 'off' }), only);
    expect(result!.status).toBe('skip');
    expect(result!.reason).toMatch(/thresholds: \{ p95Ms, p99Ms/);
    expect(target.requests).toBe(0);
  });

  it('passes within the thresholds and fails past them, naming the percentile', async () => {
    target = await startLoadTarget({ delayMs: 30 });
    const shape = { url: target.url, connections: 2, duration: '500ms', warmup: 0, progress: 'off' } as const;
    const passing = await runProbe(httpLoad({ ...shape, thresholds: { p50Ms: 200, p99Ms: 1_000, maxErrorRate: 0 } }), only);
    expect(passing['perf.latency.slo']!.status).toBe('pass');
    const failing = await runProbe(httpLoad({ ...shape, thresholds: { p50Ms: 10, p99Ms: 1_000 } }), only);
    const result = failing['perf.latency.slo']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^p50 \d+(\.\d+)? ms > 10 ms \(closed model, 2 connections/);
    expect(result.evidence).toMatchObject({ model: 'closed', note: CLOSED_MODEL_NOTE, violations: [{ metric: 'p50_ms', limit: 10 }] });
  });

  it('a stalling target: the open model fails the p99 SLO, the closed model passes it (coordinated omission)', async () => {
    target = await startLoadTarget({ stall: { everyMs: 600, forMs: 150 } });
    const thresholds = { p99Ms: 100 };
    const open = await runProbe(httpLoad({ url: target.url, rate: 300, duration: '1s', warmup: 0, thresholds, progress: 'off' }), only);
    expect(open['perf.latency.slo']!.status).toBe('fail');
    expect(open['perf.latency.slo']!.evidence).toMatchObject({ model: 'open', sendLag: expect.any(Object), serviceTime: expect.any(Object) });
    const closed = await runProbe(httpLoad({ url: target.url, connections: 4, duration: '1s', warmup: 0, thresholds, progress: 'off' }), only);
    expect(closed['perf.latency.slo']!.status).toBe('pass');
  });
});
