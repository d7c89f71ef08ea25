import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNdjsonReporter, run } from '@probe/core';
import { httpLoad } from '../http-load.ts';
import { startLoadTarget, type LoadTarget } from '../testing/index.ts';
import { runProbe } from './run-probe.test-helper.ts';

let target: LoadTarget;
let dir: string;
beforeAll(async () => {
  target = await startLoadTarget({ delayMs: 2 });
  dir = mkdtempSync(join(tmpdir(), 'probe-perf-trend-'));
});
afterAll(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => target.reset());

const only = ['perf.trend.regression'];
const shape = () => ({ url: target.url, name: 'orders', connections: 2, duration: '400ms', warmup: 0, progress: 'off' }) as const;

/** A baseline NDJSON line with the given headline metrics for target `orders`. */
function baseline(file: string, metrics: Record<string, number>): string {
  const path = join(dir, file);
  const result = {
    id: 'perf.load.throughput', title: 't', target: { kind: 'http', name: 'orders' }, status: 'pass', summary: 's', startedAt: new Date().toISOString(),
    durationMs: 1, checklist: [], evidence: {}, metrics: Object.entries(metrics).map(([name, value]) => ({ name, value, unit: 'x' })),
  };
  writeFileSync(path, `${JSON.stringify({ v: 1, type: 'check-end', runId: 'r', time: new Date().toISOString(), result })}\n`);
  return path;
}

describe('perf.trend.regression', () => {
  it('passes against a baseline saved from an earlier run with `--ndjson`', async () => {
    const file = join(dir, 'baseline.ndjson');
    await run([httpLoad(shape())], { only: ['perf.load.throughput'], reporters: [createNdjsonReporter(file)] });
    const { 'perf.trend.regression': result } = await runProbe(httpLoad({ ...shape(), baseline: { file, maxRegressionPercent: 500 } }), only);
    expect(result!.status).toBe('pass');
    expect(result!.summary).toMatch(/^within 500 % of the baseline: rps \d+ → \d+ \([+-]?\d+(\.\d+)? %\), p95_ms/);
  });

  it('fails when throughput dropped or latency grew beyond the limit, showing the delta', async () => {
    const file = baseline('fast.ndjson', { rps: 10_000_000, p95_ms: 0.001, p99_ms: 1_000_000 });
    const { 'perf.trend.regression': result } = await runProbe(httpLoad({ ...shape(), baseline: { file } }), only);
    expect(result!.status).toBe('fail');
    expect(result!.summary).toMatch(/^regressed beyond 20 %: rps 10000000 → \d+ \(-\d+(\.\d+)? %\), p95_ms 0\.001 → /);
    expect(result!.summary).not.toMatch(/p99_ms/);
    expect(result!.metrics.map((metric) => metric.name)).toEqual(['rps_change_percent', 'p95_ms_change_percent', 'p99_ms_change_percent']);
  });

  it('is skipped, saying how to make one, when there is no baseline for this target', async () => {
    const missing = await runProbe(httpLoad({ ...shape(), baseline: { file: join(dir, 'none.ndjson') } }), only);
    expect(missing['perf.trend.regression']!.reason).toMatch(/no baseline at .*none\.ndjson yet: save one with `probe run --ndjson/);
    const other = join(dir, 'other.ndjson');
    writeFileSync(other, '{"not":"an event"}\n');
    const unrelated = await runProbe(httpLoad({ ...shape(), baseline: { file: other } }), only);
    expect(unrelated['perf.trend.regression']!.reason).toMatch(/has no perf.load.throughput result for target "orders"/);
    expect(target.requests).toBe(0);
  });
});
