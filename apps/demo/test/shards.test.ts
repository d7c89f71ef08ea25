/**
 * The scaling-out mechanics of the README (and examples/k8s), proved on the demo config itself:
 * `probe run --shard i/4` in four processes at once, `probe merge`, against one unsharded run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, type TestContext } from 'vitest';
import type { Result, RunEndEvent, RunEvent } from '@probe/core';
import { deserializeHistogram, loadResultOf, mergeLoadResults } from '@probe/perf';
import { haveServices, startTestDemo } from './fixture.ts';

const run = promisify(execFile);
const DEMO_DIR = new URL('..', import.meta.url).pathname;
const CLI = new URL('../../runner/dist/cli.js', import.meta.url).pathname;
const SHARDS = 4;

/** `probe …` in its own process, in apps/demo, with the demo's environment; its exit code. */
async function probe(args: string[], env: Record<string, string>): Promise<number> {
  try {
    await run(process.execPath, ['--disable-warning=TimeoutNegativeWarning', CLI, ...args], {
      cwd: DEMO_DIR, env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: 60_000,
    });
    return 0;
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    if (typeof failed.code === "number" && failed.code <= 2) return failed.code;
    throw new Error(`probe ${args.join(' ')} failed (${failed.code}): ${failed.stderr}`);
  }
}

const eventsOf = (file: string): RunEvent[] => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
const resultsOf = (events: RunEvent[]): Result[] => events.flatMap((event) => (event.type === 'check-end' ? [event.result] : []));
const endOf = (events: RunEvent[]) => events.findLast((event) => event.type === 'run-end') as RunEndEvent;
/**
 * Each check's verdict, with pass and warn as one: a warning here is a timing margin (a p99 over its warn
 * threshold on a busy machine), which two runs of anything, sharded or not, need not share.
 */
const verdicts = (events: RunEvent[]) => Object.fromEntries(resultsOf(events).map((result) => [`${result.target.name}/${result.id}`, result.status === 'warn' ? 'pass' : result.status]));
const totalsOf = (events: RunEvent[]) => {
  const { pass, warn, ...rest } = endOf(events).totals;
  return { passOrWarn: pass + warn, ...rest };
};
const find = (events: RunEvent[], id: string) => resultsOf(events).filter((result) => result.id === id);

/** The NDJSON of one unsharded run, of each shard, and of their merge, with the exit codes. */
interface Runs {
  whole: RunEvent[];
  shards: RunEvent[][];
  merged: RunEvent[];
  exitCodes: { whole: number; shards: number[]; merge: number };
}

/**
 * Two fresh services (what one run leaves, a warm cache or consumed events, must not colour the other):
 * the whole config on one; the four shards on the other, one after another (these 2 cores cannot run four
 * at once without the timing checks suffering; pods on their own machines can); then `probe merge`.
 */
async function runEverything(): Promise<Runs> {
  const [demo, shardedDemo] = await Promise.all([startTestDemo({ proxyApi: true }), startTestDemo({ proxyApi: true })]);
  const dir = mkdtempSync(join(tmpdir(), 'probe-demo-shards-'));
  try {
    const file = (name: string) => join(dir, `${name}.ndjson`);
    const wholeCode = await probe(['run', '--config', 'probe.config.ts', '--ndjson', file('whole'), '--quiet'], demo.env);
    const shardCodes: number[] = [];
    for (let i = 0; i < SHARDS; i += 1) {
      shardCodes.push(await probe(['run', '--config', 'probe.config.ts', '--shard', `${i + 1}/${SHARDS}`, '--ndjson', file(`shard-${i + 1}`), '--quiet'], shardedDemo.env));
    }
    const inputs = Array.from({ length: SHARDS }, (_, i) => file(`shard-${i + 1}`));
    const mergeCode = await probe(['merge', ...inputs, '--ndjson', file('merged'), '--quiet'], {});
    return {
      whole: eventsOf(file('whole')), shards: inputs.map(eventsOf), merged: eventsOf(file('merged')),
      exitCodes: { whole: wholeCode, shards: shardCodes, merge: mergeCode },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([demo.remove(), shardedDemo.remove()]);
  }
}

// The first test to run makes the runs (about 25 s here); the others only read them.
describe.skipIf(!haveServices)('the demo config in 4 shards, 4 processes, merged = one run', { timeout: 120_000 }, () => {
  // The runs are made once and shared by the tests; a failed test forgets them, so its retry (CI) runs them
  // all again on fresh services rather than re-judging the same ones.
  let made: Promise<Runs> | undefined;
  const runs = (context: TestContext) => {
    context.onTestFailed(() => { made = undefined; });
    made ??= runEverything();
    return made;
  };

  it('every check ran once, in exactly one shard, except the split load that ran in all four', async (context) => {
    const { whole, shards } = await runs(context);
    const perShard = shards.map((events) => resultsOf(events).map((result) => `${result.target.name}/${result.id}`));
    const split = perShard.map((ids) => ids.filter((id) => id.startsWith('catalogue-load/perf.load.') || id.startsWith('catalogue-load/perf.latency.')));
    expect(split.every((ids) => ids.length === 2)).toBe(true);
    const dealt = perShard.flat().filter((id) => !split[0]!.includes(id));
    expect(new Set(dealt).size).toBe(dealt.length);
    expect(perShard.every((ids) => ids.length > split[0]!.length)).toBe(true);
    expect([...new Set(perShard.flat())].sort()).toEqual(Object.keys(verdicts(whole)).sort());
  });

  it('the merge gives the same verdict per check (pass or warn, fail, skip, error), the same totals and exit code as the unsharded run', async (context) => {
    const { whole, merged, exitCodes } = await runs(context);
    expect(verdicts(merged)).toEqual(verdicts(whole));
    expect(totalsOf(merged)).toEqual(totalsOf(whole));
    expect(endOf(whole).totals.fail + endOf(whole).totals.error).toBe(0);
    expect(exitCodes.merge).toBe(exitCodes.whole);
    expect(exitCodes.shards.every((code) => code <= exitCodes.whole)).toBe(true);
  });

  it('perf: the four parts add up to the declared load, and the merged percentiles are those of every request of every shard', async (context) => {
    const { whole, shards, merged } = await runs(context);
    const parts = shards.map((events) => find(events, 'perf.latency.slo')[0]!);
    expect(parts.map((part) => part.part?.index)).toEqual([1, 2, 3, 4]);
    const loads = parts.map((part) => loadResultOf(part)!);
    expect(loads.map((load) => load.rate)).toEqual([50, 50, 50, 50]);
    const [mergedLatency] = find(merged, 'perf.latency.slo');
    const [wholeLatency] = find(whole, 'perf.latency.slo');
    const mergedLoad = loadResultOf(mergedLatency!)!;
    const wholeLoad = loadResultOf(wholeLatency!)!;
    // 200 requests/s for 1 s: the same 200 intended requests, split or not.
    expect(mergedLoad.sent + mergedLoad.notSent).toBe(200);
    expect(wholeLoad.sent + wholeLoad.notSent).toBe(200);
    expect(mergedLoad.rate).toBe(wholeLoad.rate);
    // The merged histogram holds every request of every shard, and its percentiles are recomputed from it.
    expect(deserializeHistogram(mergedLoad.histogram).count).toBe(loads.reduce((sum, load) => sum + deserializeHistogram(load.histogram).count, 0));
    expect(mergedLatency!.evidence.latency).toEqual(mergeLoadResults(loads).latency);
    expect(mergedLatency!.summary).toMatch(/within the SLO .*; 4 shards together$/);
    expect(mergedLatency!.status).toBe(wholeLatency!.status);
  });
});
