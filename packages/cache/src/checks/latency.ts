import type { Metric } from '@probe/core';
import { setOwned } from '../keys.ts';
import { abortable, percentile, roundMs } from '../util.ts';
import { ITEM, refusedWrite, type CacheCheck } from './shared.ts';

interface OperationStats {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * `cache.ops.latency`: a short, bounded burst of sequential round trips (PING,
 * GET and — unless --read-only — SET on a probe key), the way
 * `redis-cli --latency` measures: client-side, one command at a time.
 * Percentiles per command; the worst p99 is judged against the thresholds.
 */
export const latencyCheck: CacheCheck = {
  id: 'cache.ops.latency',
  title: 'PING/GET/SET round-trip percentiles over a short burst stay under the thresholds',
  checklist: [ITEM.performance],
  async run({ resources, signal, readOnly }) {
    const { deployment, keys, options } = resources;
    const client = deployment.client;
    const { burst, burstTimeMs } = options.sample;
    const { latencyP99WarnMs, latencyP99FailMs } = options.thresholds;
    const key = keys.name('latency');
    const operations: Record<string, () => Promise<unknown>> = {
      PING: () => client.ping(),
      GET: () => client.get(key),
      ...(readOnly ? {} : { SET: () => setOwned(keys, client, key, 'v', signal) }),
    };
    const samples = new Map<string, number[]>(Object.keys(operations).map((name) => [name, []]));
    const started = performance.now();
    try {
      for (let round = 0; round < burst && performance.now() - started < burstTimeMs; round++) {
        for (const [name, operation] of Object.entries(operations)) {
          const sent = performance.now();
          await abortable(operation(), signal);
          samples.get(name)!.push(performance.now() - sent);
        }
      }
    } catch (error) {
      if (signal.aborted) throw error;
      return refusedWrite(error, `SET ${key} v PX 60000`);
    }
    const stats = Object.fromEntries([...samples].map(([name, values]) => [name, statsOf(values)]));
    const metrics: Metric[] = Object.entries(stats).flatMap(([name, stat]) => [
      { name: `cache.latency.${name.toLowerCase()}.p50_ms`, value: stat.p50Ms, unit: 'ms' },
      { name: `cache.latency.${name.toLowerCase()}.p99_ms`, value: stat.p99Ms, unit: 'ms' },
    ]);
    const [worstName, worst] = Object.entries(stats).sort((a, b) => b[1].p99Ms - a[1].p99Ms)[0]!;
    const evidence = {
      commands: stats,
      thresholds: { latencyP99WarnMs, latencyP99FailMs },
      ...(readOnly ? { note: 'read-only mode: SET was not measured' } : {}),
      repro: `timeout 10 ${resources.cli(['--latency'])}`,
    };
    const line = Object.entries(stats).map(([name, stat]) => `${name} p50 ${stat.p50Ms} / p99 ${stat.p99Ms} ms`).join(', ');
    const total = [...samples.values()].reduce((sum, values) => sum + values.length, 0);
    if (worst.p99Ms > latencyP99FailMs) return { status: 'fail', summary: `${worstName} p99 ${worst.p99Ms} ms is above ${latencyP99FailMs} ms (${line})`, evidence, metrics };
    if (worst.p99Ms > latencyP99WarnMs) return { status: 'warn', summary: `${worstName} p99 ${worst.p99Ms} ms is above ${latencyP99WarnMs} ms (${line})`, evidence, metrics };
    return { status: 'pass', summary: `${total} round trips: ${line}`, evidence, metrics };
  },
};

function statsOf(values: number[]): OperationStats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: roundMs(percentile(sorted, 50)),
    p95Ms: roundMs(percentile(sorted, 95)),
    p99Ms: roundMs(percentile(sorted, 99)),
    maxMs: roundMs(sorted.at(-1) ?? Number.NaN),
  };
}
