import { describe, expect, it } from 'vitest';
import { isProbeError } from '../errors.ts';
import type { CheckEndEvent, RunEndEvent, RunEvent, RunStartEvent } from '../protocol/events.ts';
import type { PartCombiner, Probe, Result } from '../protocol/types.ts';
import { combinersNeeded } from './combine-parts.ts';
import { eventSchemaErrors } from './event-schema.test-helper.ts';
import { mergeRuns } from './merge.ts';
import { recordRun } from './run-fixture.test-helper.ts';

const COMBINER = '@probe/test#sumParts';

/** A split check that counts its share of 10 units of work, and a normal check beside it. */
function probes(seen: { shard?: unknown; setupShard?: unknown }[] = []): Probe[] {
  return [{
    target: { kind: 'test', name: 'load' },
    setup: (context) => { seen.push({ setupShard: context.shard }); return undefined; },
    checks: [
      {
        id: 'perf.share', title: 'Share of the work', split: { combiner: COMBINER },
        run: (context) => {
          seen.push({ shard: context.shard });
          const total = context.shard?.total ?? 1;
          const index = context.shard?.index ?? 1;
          const share = Math.floor(10 / total) + (index - 1 < 10 % total ? 1 : 0);
          return { status: 'pass', summary: `did ${share}`, evidence: { done: share } };
        },
      },
      { id: 'perf.plain', title: 'Plain', run: () => ({ status: 'pass', summary: 'plain' }) },
      { id: 'perf.other', title: 'Other', run: () => ({ status: 'pass', summary: 'other' }) },
    ],
  }];
}

/** Adds the parts' work: the whole must come to 10. */
const sumParts: PartCombiner = (parts) => {
  const done = parts.reduce((sum, part) => sum + (part.evidence.done as number), 0);
  return { ...parts[0]!, status: done === 10 ? 'pass' : 'fail', summary: `did ${done} in ${parts.length} parts`, evidence: { done } };
};

const resultsOf = (events: RunEvent[]) => events.filter((event): event is CheckEndEvent => event.type === 'check-end').map((event) => event.result);
const byId = (events: RunEvent[], id: string) => resultsOf(events).find((result) => result.id === id) as Result;

async function shards(total: number, seen?: { shard?: unknown; setupShard?: unknown }[]) {
  const runs: RunEvent[][] = [];
  for (let index = 1; index <= total; index += 1) runs.push((await recordRun({ probes: probes(seen), shard: { index, total } })).events);
  return runs;
}

describe('split checks', () => {
  it('run in every shard with the shard in their context and setup, each result a part; other checks are dealt out', async () => {
    const seen: { shard?: unknown; setupShard?: unknown }[] = [];
    const runs = await shards(3, seen);
    expect(seen.filter((entry) => 'shard' in entry).map((entry) => entry.shard)).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })));
    expect(seen.filter((entry) => 'setupShard' in entry).map((entry) => entry.setupShard)).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })));
    for (const [i, events] of runs.entries()) {
      expect(eventSchemaErrors(events)).toEqual([]);
      expect(byId(events, 'perf.share').part).toEqual({ index: i + 1, total: 3, combiner: COMBINER });
    }
    const plain = runs.map((events) => resultsOf(events).filter((result) => !result.part).map((result) => result.id));
    expect(plain.flat().sort()).toEqual(['perf.other', 'perf.plain']);
    expect(combinersNeeded(runs)).toEqual([COMBINER]);
  });

  it('unsharded, a split check runs once with no shard and no part', async () => {
    const seen: { shard?: unknown }[] = [];
    const { events } = await recordRun({ probes: probes(seen) });
    expect(seen.filter((entry) => 'shard' in entry)).toEqual([{ shard: undefined }]);
    expect(byId(events, 'perf.share').part).toBeUndefined();
    expect(combinersNeeded([events])).toEqual([]);
  });

  it('merge combines the parts into one result of the whole; planned and totals count it once', async () => {
    const runs = await shards(4);
    const merged = mergeRuns(runs, { combiners: { [COMBINER]: sumParts } });
    expect(eventSchemaErrors(merged)).toEqual([]);
    const share = resultsOf(merged).filter((result) => result.id === 'perf.share');
    expect(share).toHaveLength(1);
    expect(share[0]).toMatchObject({ status: 'pass', summary: 'did 10 in 4 parts', evidence: { done: 10 } });
    expect(share[0]!.part).toBeUndefined();
    expect((merged[0] as RunStartEvent).planned).toBe(3);
    expect((merged.at(-1) as RunEndEvent).totals).toEqual({ pass: 3, fail: 0, warn: 0, skip: 0, error: 0 });
    expect(merged.filter((event) => event.type === 'check-start' && event.id === 'perf.share')).toHaveLength(1);
  });

  it('a missing shard makes the split check an error naming the shard, not a verdict on a part', async () => {
    const runs = await shards(3);
    const merged = mergeRuns([runs[0]!, runs[2]!], { combiners: { [COMBINER]: sumParts } });
    expect(eventSchemaErrors(merged)).toEqual([]);
    const share = byId(merged, 'perf.share');
    expect(share.status).toBe('error');
    expect(share.summary).toBe('only 2 of the 3 parts of this split check arrived (shards 1, 3; missing 2): the whole cannot be judged from a part');
    expect(share.part).toBeUndefined();
    expect((merged.at(-1) as RunEndEvent).totals.error).toBe(1);
  });

  it('a shard interrupted inside its part counts as a missing part, not as an overlap', async () => {
    const runs = await shards(2);
    const cut = runs[1]!.filter((event) => !(event.type === 'check-end' && event.result.id === 'perf.share') && event.type !== 'run-end');
    const merged = mergeRuns([runs[0]!, cut], { combiners: { [COMBINER]: sumParts } });
    const share = byId(merged, 'perf.share');
    expect(share.status).toBe('error');
    expect(share.summary).toMatch(/^only 1 of the 2 parts of this split check arrived \(shards 1; missing 2\)/);
    expect((merged[0] as RunStartEvent).planned).toBe(3);
  });

  it('without the combiner, the merge refuses and says which package to install', async () => {
    const runs = await shards(2);
    const error = (() => { try { mergeRuns(runs); return undefined; } catch (caught) { return caught; } })();
    expect(isProbeError(error)).toBe(true);
    expect((error as Error).message).toBe(`the parts of perf.share on load need the combiner ${COMBINER}, which was not given`);
    expect((error as { hint?: string }).hint).toBe('install @probe/test where probe merge runs (it combines its own split checks)');
  });

  it('parts from runs with different shard totals are refused', async () => {
    const [a] = await shards(2);
    const [, b] = await shards(3);
    expect(() => mergeRuns([a!, b!], { combiners: { [COMBINER]: sumParts } })).toThrow(/different combiners or shard totals/);
  });
});
