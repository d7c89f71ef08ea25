import { afterEach, describe, expect, it } from 'vitest';
import { httpLoad } from '../http-load.ts';
import { startLoadTarget, type LoadTarget } from '../testing/index.ts';
import { runProbe } from './run-probe.test-helper.ts';

let target: LoadTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const only = ['perf.degradation'];

describe('perf.degradation', () => {
  it('fails when latency near capacity is many times latency at low load', async () => {
    target = await startLoadTarget({ capacity: { concurrency: 1, serviceMs: 10 } });   // ~100 req/s at most
    const { 'perf.degradation': result } = await runProbe(httpLoad({
      url: target.url, rate: 10, progress: 'off', timeout: '2s',
      degradation: { lowRate: 20, highRate: 150, maxFactor: 3, stepDuration: '500ms' },
    }), only);
    expect(result!.status).toBe('fail');
    expect(result!.summary).toMatch(/^latency degrades beyond 3×: p95 \d+(\.\d+)? ms at 20 req\/s → \d+(\.\d+)? ms at 150 req\/s: \d+(\.\d+)?×/);
  });

  it('passes when latency holds as the load grows', async () => {
    // 20 ms a response whatever the load: a starved machine adds a few ms at most, far from 3×.
    target = await startLoadTarget({ delayMs: 20 });
    const { 'perf.degradation': result } = await runProbe(httpLoad({
      url: target.url, rate: 10, progress: 'off',
      degradation: { lowRate: 20, highRate: 150, maxFactor: 3, percentile: 'p50', stepDuration: '500ms' },
    }), only);
    expect(result!.status).toBe('pass');
    expect(result!.evidence).toMatchObject({ percentile: 'p50', floorMs: 1, low: { rate: 20 }, high: { rate: 150 } });
  });
});
