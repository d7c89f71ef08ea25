import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeRuns, run, type Result, type RunEvent, type ShardSpec } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { combineLoadParts } from './combine-parts.ts';
import { summarize } from './engine/result.ts';
import { deserializeHistogram } from './histogram/codec.ts';
import { Histogram } from './histogram/hdr.ts';
import { httpLoad } from './http-load.ts';
import { loadResultOf } from './merge.ts';
import { LOAD_COMBINER, shareOfCount, shareOfLoad } from './share.ts';
import { startLoadTarget, type LoadTarget } from './testing/index.ts';
import type { HttpLoadOptions } from './types.ts';

let target: LoadTarget;
beforeAll(async () => {
  target = await startLoadTarget({ delayMs: 1 });
});
afterAll(() => target.close());

/** Run every shard of one config at the same time, as an Indexed Job's pods would; the NDJSON of each. */
async function shardRuns(options: HttpLoadOptions, total: number): Promise<RunEvent[][]> {
  return Promise.all(Array.from({ length: total }, async (_, i) => {
    const events = collectEvents();
    await run([httpLoad(options)], { reporters: [events], shard: { index: i + 1, total } });
    return JSON.parse(JSON.stringify(events.events)) as RunEvent[];
  }));
}

const resultOf = (events: readonly RunEvent[], id: string): Result | undefined =>
  events.flatMap((event) => (event.type === 'check-end' && event.result.id === id ? [event.result] : []))[0];

const merge = (runs: RunEvent[][]) => mergeRuns(runs, { combiners: { [LOAD_COMBINER]: combineLoadParts } });

describe('shareOfLoad', () => {
  const shard = (index: number, total: number): ShardSpec => ({ index, total });

  it('deals whole connections and requests out, first shards one more; divides rates, stage levels and minRps', () => {
    expect([1, 2, 3, 4].map((index) => shareOfCount(10, shard(index, 4)))).toEqual([3, 3, 2, 2]);
    const closed = { connections: 10, requests: 1_001, thresholds: { minRps: 400, p99Ms: 50 } };
    expect([1, 2, 3, 4].map((index) => shareOfLoad(closed, shard(index, 4)))).toEqual([
      { connections: 3, requests: 251, thresholds: { minRps: 100, p99Ms: 50 } },
      { connections: 3, requests: 250, thresholds: { minRps: 100, p99Ms: 50 } },
      { connections: 2, requests: 250, thresholds: { minRps: 100, p99Ms: 50 } },
      { connections: 2, requests: 250, thresholds: { minRps: 100, p99Ms: 50 } },
    ]);
    const open = { rate: 200, stages: [{ duration: '1s', target: 400 }] };
    expect(shareOfLoad(open, shard(2, 4))).toEqual({ rate: 50, connections: 25, stages: [{ duration: '1s', target: 100 }] });
    const ramp = { stages: [{ duration: '1s', target: 6 }], connections: 4 };
    expect([1, 2, 3, 4].map((index) => shareOfLoad(ramp, shard(index, 4)).stages![0]!.target)).toEqual([2, 2, 1, 1]);
  });

  it('refuses a split that leaves a shard without a connection, and says what to declare', () => {
    expect(() => shareOfLoad({ connections: 2 }, shard(3, 4))).toThrow('distribute: 2 connection(s) cannot be split over 4 shards');
    try {
      shareOfLoad({ connections: 2 }, shard(3, 4));
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe('declare at least 4 connections, or run fewer shards');
    }
  });
});

describe('distribute: one load over the shards of a run', () => {
  const options: HttpLoadOptions = {
    url: '', name: 'catalogue', connections: 4, requests: 400, duration: '3s', warmup: 0, progress: 'off', distribute: true,
    thresholds: { p99Ms: 1_000, maxErrorRate: 0.01 },
    capacity: { from: 10, to: 20, step: 10, stepDuration: '200ms' },
  };

  it('each shard sends its share at once; merged, the counts are those of one run and the percentiles those of every request', async () => {
    const runs = await shardRuns({ ...options, url: target.url }, 4);
    const parts = runs.map((events) => resultOf(events, 'perf.load.throughput')!);
    expect(parts.map((part) => part.part)).toEqual([1, 2, 3, 4].map((index) => ({ index, total: 4, combiner: LOAD_COMBINER })));
    const loads = parts.map((part) => loadResultOf(part)!);
    expect(loads.map((load) => [load.connections, load.completed])).toEqual([[1, 100], [1, 100], [1, 100], [1, 100]]);
    // The capacity search needs the target to itself: in a shard it is skipped, saying how to run it.
    const capacity = runs.map((events) => resultOf(events, 'perf.capacity.limit')).filter((result) => result !== undefined);
    expect(capacity).toHaveLength(1);
    expect(capacity[0]!.status).toBe('skip');
    expect(capacity[0]!.reason).toMatch(/^the search needs the whole target to itself: run it unsharded/);

    const merged = merge(runs);
    const throughput = resultOf(merged, 'perf.load.throughput')!;
    expect(throughput.part).toBeUndefined();
    expect(throughput.status).toBe('pass');
    expect(throughput.summary).toMatch(/; 4 shards together$/);
    const whole = loadResultOf(throughput)!;
    expect(whole.completed).toBe(400);
    expect(whole.connections).toBe(4);
    expect(whole.mergedFrom).toBe(4);
    const union = new Histogram();
    for (const load of loads) union.add(deserializeHistogram(load.histogram));
    expect(whole.latency).toEqual(summarize(union));
    const latency = resultOf(merged, "perf.latency.slo")!;
    expect(latency.status).toBe('pass');
    expect(latency.evidence.latency).toEqual(summarize(union));
    expect(latency.metrics.find((metric) => metric.name === 'p99_ms')?.value).toBe(summarize(union).p99);
    // The same load unsharded: the same count of requests, judged the same.
    const single = collectEvents();
    await run([httpLoad({ ...options, url: target.url })], { reporters: [single], only: ['perf.load.throughput'] });
    expect(loadResultOf(resultOf(single.events, 'perf.load.throughput')!)!.completed).toBe(400);
  });

  it('the merge judges the whole against the declared thresholds: a minRps each part meets is checked on the sum', async () => {
    // Each part needs minRps / 2; the whole needs all of it. 1 ms per request and 2 connections cannot make 100 000 req/s.
    const runs = await shardRuns({ ...options, url: target.url, connections: 2, requests: 100, thresholds: { minRps: 100_000 } }, 2);
    const parts = runs.map((events) => resultOf(events, 'perf.load.throughput')!);
    expect(parts.every((part) => (part.evidence.declaredThresholds as { minRps: number }).minRps === 100_000)).toBe(true);
    const throughput = resultOf(merge(runs), 'perf.load.throughput')!;
    expect(['fail', 'warn']).toContain(throughput.status);
    expect(throughput.summary).toMatch(/req\/s < 100,000 required/);
    expect(throughput.evidence.shards).toHaveLength(2);
  });

  it('a shard that could not reach the target makes the whole an error naming the shard', async () => {
    const closed = await startLoadTarget();
    const url = closed.url;
    await closed.close();
    const runs = await shardRuns({ ...options, url, requests: 8 }, 2);
    const throughput = resultOf(merge(runs), 'perf.load.throughput')!;
    expect(throughput.status).toBe('error');
    expect(throughput.summary).toMatch(/^shard 1: .*; shard 2: /);
  });
});
