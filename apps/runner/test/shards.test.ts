import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from './cli-process.ts';
import { tempDir } from './temp-dir.ts';

interface Event {
  type: string;
  totals?: Record<string, number>;
  exitCode?: number;
  result?: { id: string; status: string; target: { name: string } };
}

function readRun(file: string): { events: Event[]; checks: string[] } {
  const events = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Event);
  const checks = events.flatMap((event) => (event.result ? [`${event.result.target.name} ${event.result.id} ${event.result.status}`] : []));
  return { events, checks: checks.sort() };
}

it('--shard 1/3, 2/3, 3/3 are disjoint, cover the run, and `probe merge` of them equals the unsharded run', async (context) => {
  const out = tempDir(context);
  const file = (name: string) => join(out, `${name}.ndjson`);
  const runs = await Promise.all([
    runCli(['run', '-c', 'many.config.ts', '--quiet', '--ndjson', file('all')]),
    ...[1, 2, 3].map((index) => runCli(['run', '-c', 'many.config.ts', '--quiet', '--shard', `${index}/3`, '--ndjson', file(`shard-${index}`)])),
  ]);
  for (const run of runs) expect(run.stderr).toBe('');
  const all = readRun(file('all'));
  const shards = [1, 2, 3].map((index) => readRun(file(`shard-${index}`)).checks);

  expect(all.checks).toHaveLength(20);
  for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
  const union = shards.flat().sort();
  expect(new Set(union).size).toBe(union.length);   // disjoint
  expect(union).toEqual(all.checks);                  // complete

  const merged = await runCli(['merge', file('shard-1'), file('shard-2'), file('shard-3'), '--ndjson', file('merged'), '--junit', join(out, 'merged.xml')]);
  const mergedRun = readRun(file('merged'));
  expect(mergedRun.checks).toEqual(all.checks);
  const allEnd = all.events.at(-1)!;
  const mergedEnd = mergedRun.events.at(-1)!;
  expect(mergedEnd.type).toBe('run-end');
  expect(mergedEnd.totals).toEqual(allEnd.totals);
  expect(mergedEnd.exitCode).toBe(allEnd.exitCode);
  expect(merged.code).toBe(allEnd.exitCode);         // probe merge exits with the merged exit code
  expect(runs[0]!.code).toBe(allEnd.exitCode);
  expect(merged.stdout).toContain('8 passed, 4 failed, 3 warned, 5 skipped, 0 errored');
  expect(readFileSync(join(out, 'merged.xml'), 'utf8')).toMatch(/<testsuites[^>]* tests="20" failures="4" errors="0" skipped="5"/);
});

it('merge refuses overlapping shards (the same file twice) with exit 2', async (context) => {
  const out = tempDir(context);
  const shard = join(out, 'shard-1.ndjson');
  await runCli(['run', '-c', 'many.config.ts', '--quiet', '--shard', '1/2', '--ndjson', shard]);
  const result = await runCli(['merge', shard, shard, '--ndjson', join(out, 'merged.ndjson')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('is given twice');
});
