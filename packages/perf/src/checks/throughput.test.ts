import { afterEach, describe, expect, it } from 'vitest';
import { httpLoad } from '../http-load.ts';
import { startLoadTarget, type LoadTarget } from '../testing/index.ts';
import { runProbe } from './run-probe.test-helper.ts';

let target: LoadTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const quick = { duration: '500ms', warmup: 0, progress: 'off' } as const;

describe('perf.load.throughput', () => {
  it('passes a healthy target, with the headline metrics, charts, the lossless histogram and a repro', async () => {
    target = await startLoadTarget();
    const { 'perf.load.throughput': result } = await runProbe(httpLoad({ url: target.url, connections: 2, ...quick }), ['perf.load.throughput']);
    expect(result!.status).toBe('pass');
    expect(result!.summary).toMatch(/req\/s, p50 .* ms, p99 .* ms, max .* ms, no errors \(closed model, 2 connections, /);
    expect(result!.metrics.map((metric) => metric.name)).toEqual(expect.arrayContaining(['rps', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'error_rate']));
    expect(result!.checklist).toContain('integration.api.endpoint.monitor-performance');
    const evidence = result!.evidence as Record<string, any>;
    expect(evidence.histogram).toMatchObject({ format: 'HdrHistogram-V2', unit: 'us', data: expect.stringMatching(/^HISTFAAA/) });
    expect(evidence.histogram.buckets.length).toBeGreaterThan(0);
    expect(evidence.histogram.buckets.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0)).toBe(evidence.histogram.count);
    expect(evidence.series.length).toBeGreaterThan(0);
    expect(evidence.load.completed).toBeGreaterThan(0);
    expect(evidence.reproduce.curl).toContain(target.url);
    expect(evidence.reproduce.load).toMatch(/^wrk -t1 -c2 -d1s --latency/);
  });

  it('fails when errors pass the threshold, naming their kind', async () => {
    target = await startLoadTarget({ errorEvery: 2, errorStatus: 502 });
    const { 'perf.load.throughput': result } = await runProbe(httpLoad({ url: target.url, connections: 2, ...quick }), ['perf.load.throughput']);
    expect(result!.status).toBe('fail');
    expect(result!.summary).toMatch(/^50 % of requests failed \(status 502 ×\d+\), above 1 %/);
  });

  it('fails below the declared minimum throughput', async () => {
    target = await startLoadTarget({ delayMs: 20 });
    const { 'perf.load.throughput': result } = await runProbe(httpLoad({ url: target.url, connections: 2, thresholds: { minRps: 10_000 }, ...quick }), ['perf.load.throughput']);
    expect(result!.status).toBe('fail');
    expect(result!.summary).toMatch(/\d+ req\/s < 10,000 required/);
  });

  it('open model: fails when the target cannot keep up with the declared rate', async () => {
    target = await startLoadTarget({ capacity: { concurrency: 1, serviceMs: 20 } });   // 50 req/s at most
    const { 'perf.load.throughput': result } = await runProbe(httpLoad({ url: target.url, rate: 200, connections: 4, timeout: '300ms', ...quick }), ['perf.load.throughput']);
    expect(result!.status).toBe('fail');
    expect(result!.summary).toMatch(/intended requests were answered in time|requests failed \(timeout/);
  });
});
