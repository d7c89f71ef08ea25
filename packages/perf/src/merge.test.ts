import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserializeHistogram } from './histogram/codec.ts';
import { Histogram } from './histogram/hdr.ts';
import { summarize, type LoadResult } from './engine/result.ts';
import { loadEvidence } from './evidence.ts';
import { loadResultOf, mergeLoadResults } from './merge.ts';
import { runHttpLoad, runLoad } from './run.ts';
import { startLoadTarget, type LoadTarget } from './testing/index.ts';

let target: LoadTarget;
beforeAll(async () => {
  target = await startLoadTarget({ delayMs: 2, errorEvery: 20 });
});
afterAll(() => target.close());

/** Two shards of one load, at the same time, as two machines would run it. */
function shards(): Promise<LoadResult[]> {
  const options = { url: target.url, connections: 2, duration: '700ms', warmup: 0, progress: 'off' } as const;
  return Promise.all([runHttpLoad(options), runHttpLoad(options)]);
}

describe('mergeLoadResults', () => {
  it('two shards merged = one histogram of every request: counts add exactly, percentiles recomputed', async () => {
    const [a, b] = await shards();
    // Shards travel as check evidence in NDJSON: through JSON and back.
    const travelled = [a!, b!].map((result) => loadResultOf({ evidence: JSON.parse(JSON.stringify(loadEvidence(result))) })!);
    expect(travelled[0]).toEqual(a);
    const merged = mergeLoadResults(travelled);
    const whole = new Histogram();
    whole.add(deserializeHistogram(a!.histogram));
    whole.add(deserializeHistogram(b!.histogram));
    expect(Array.from(deserializeHistogram(merged.histogram).counts)).toEqual(Array.from(whole.counts));
    expect(merged.latency).toEqual(summarize(whole));
    expect(merged.completed).toBe(a!.completed + b!.completed);
    expect(merged.errors).toBe(a!.errors + b!.errors);
    expect(merged.errorKinds['status 500']).toBe(a!.errors + b!.errors);
    expect(merged.errorRate).toBeCloseTo((a!.errors + b!.errors) / (a!.completed + b!.completed), 12);
    expect(merged.connections).toBe(4);
    expect(merged.mergedFrom).toBe(2);
    expect(merged.series[0]!.sent).toBe(a!.series[0]!.sent + b!.series[0]!.sent);
    // Merging is associative: a merge of merges is the merge of all.
    expect(mergeLoadResults([merged, a!]).latency).toEqual(mergeLoadResults([a!, b!, a!]).latency);
  });

  it('merges the open model\'s service time and send lag too', async () => {
    const open = await Promise.all([0, 1].map(() => runLoad(() => {}, { rate: 500, duration: '400ms', warmup: 0, progress: 'off' })));
    const merged = mergeLoadResults(open);
    expect(merged.sent).toBe(400);
    expect(merged.rate).toBe(1_000);
    expect(merged.serviceTime).toBeDefined();
    expect(merged.sendLag!.late).toBe(open[0]!.sendLag!.late + open[1]!.sendLag!.late);
  });

  it('refuses nothing to merge and results of different models', async () => {
    expect(() => mergeLoadResults([])).toThrow(/nothing to merge/);
    const closed = await runLoad(() => {}, { requests: 10, warmup: 0, progress: 'off' });
    const open = await runLoad(() => {}, { rate: 100, requests: 5, warmup: 0, progress: 'off' });
    expect(() => mergeLoadResults([closed, open])).toThrow(/different models/);
    expect(loadResultOf({ evidence: {} })).toBeUndefined();
  });
});
