import { afterEach, describe, expect, it } from 'vitest';
import type { LoadResult } from '../engine/result.ts';
import { httpLoad } from '../http-load.ts';
import type { ResourceReport } from '../resources/sampler.ts';
import { metricValue } from '../resources/sampler.ts';
import { startLoadTarget, type LoadTarget } from '../testing/index.ts';
import { bottlenecks } from './resources.ts';
import { runProbe } from './run-probe.test-helper.ts';

let target: LoadTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const only = ['perf.resources'];
const MIB = 1024 * 1024;

describe('perf.resources', () => {
  // The target server runs in this very process, so its pid is ours.
  it('reads CPU and memory of a local pid during the load', async () => {
    target = await startLoadTarget();
    const { 'perf.resources': result } = await runProbe(httpLoad({
      url: target.url, connections: 2, duration: '600ms', warmup: 0, progress: 'off', resources: { pid: process.pid, interval: '100ms' },
    }), only);
    expect(result!.status).toBe('pass');
    expect(result!.summary).toMatch(new RegExp(`^pid ${process.pid} \\(.*\\): peak CPU \\d+(\\.\\d+)? % of a core .* bottleneck suspect: `));
    const evidence = result!.evidence as unknown as ResourceReport;
    expect(evidence.samples.length).toBeGreaterThanOrEqual(2);
    expect(evidence.peakCpuPercent).toBeGreaterThan(5);
    expect(evidence.peakRssBytes).toBeGreaterThan(10 * MIB);
  });

  it('fails past the declared CPU limit; reads a Prometheus endpoint too', async () => {
    target = await startLoadTarget();
    const { 'perf.resources': result } = await runProbe(httpLoad({
      url: target.url, connections: 2, duration: '1.2s', warmup: 0, progress: 'off', resources: { metricsUrl: target.metricsUrl, maxCpuPercent: 1, interval: '300ms' },
    }), only);
    expect(result!.status).toBe('fail');
    expect(result!.summary).toMatch(/^peak CPU \d+(\.\d+)? % > 1 % \(http:\/\/127\.0\.0\.1:\d+\/metrics: /);
  });

  it('errors clearly for a pid that does not exist, and is skipped when not configured', async () => {
    target = await startLoadTarget();
    const results = await runProbe(httpLoad({ url: target.url, duration: '200ms', progress: 'off', resources: { pid: 2 ** 22 + 1 } }), only);
    expect(results['perf.resources']!.status).toBe('error');
    expect(results['perf.resources']!.error).toMatchObject({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/no process 4194305 to watch/) });
    const skipped = await runProbe(httpLoad({ url: target.url, duration: '200ms', progress: 'off' }), only);
    expect(skipped['perf.resources']!.status).toBe('skip');
  });

  it('names the bottleneck suspect', () => {
    const report = (cpu: number, start: number, end: number): ResourceReport => ({
      source: 'pid 1', samples: [], peakCpuPercent: cpu, meanCpuPercent: cpu, startRssBytes: start, peakRssBytes: end, endRssBytes: end,
    });
    const result = (p50: number, p99: number, saturated = false) => ({
      latency: { p50, p99 }, generator: { saturated, cpuPercent: saturated ? 100 : 10, ...(saturated ? { reason: 'busy' } : {}) },
    }) as unknown as LoadResult;
    expect(bottlenecks(report(97, 50 * MIB, 50 * MIB), result(1, 2))[0]).toMatch(/^CPU/);
    expect(bottlenecks(report(20, 50 * MIB, 200 * MIB), result(1, 2))[0]).toMatch(/^memory: RSS grew 150 MiB/);
    expect(bottlenecks(report(20, 50 * MIB, 50 * MIB), result(2, 90))[0]).toMatch(/^not CPU or memory/);
    expect(bottlenecks(report(20, 50 * MIB, 50 * MIB), result(2, 3))[0]).toMatch(/^none evident/);
    expect(bottlenecks(report(20, 50 * MIB, 50 * MIB), result(2, 3, true))[0]).toMatch(/^the load generator/);
  });

  it('parses Prometheus text, labels and all', () => {
    const text = '# HELP x\nprocess_cpu_seconds_total_other 9\nprocess_cpu_seconds_total{pid="1"} 12.5 1700000000\nprocess_resident_memory_bytes 1.5e+08\n';
    expect(metricValue(text, 'process_cpu_seconds_total')).toBe(12.5);
    expect(metricValue(text, 'process_resident_memory_bytes')).toBe(150_000_000);
    expect(metricValue(text, 'nope')).toBeUndefined();
  });
});
