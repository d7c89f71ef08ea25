import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliOptions } from './cli-process.ts';

/** One `probe run` (or `probe merge`) as the simulation saw it. */
export interface RunRecord {
  /** The NDJSON file it wrote. */
  file: string;
  /** The process's exit code. */
  code: number | null;
  stderr: string;
  /** `target id status` of every check that ended, sorted. */
  checks: string[];
  /** Totals and exit code of its run-end event. */
  totals: Record<string, number>;
  exitCode: number;
  /**
   * Perf evidence by `target id`: the lossless HDR histogram (`histogram.data`) and the
   * percentiles of every result that carries one (`PerfEvidence` of @probe/core).
   */
  perf: Map<string, { histogram: unknown; percentiles: unknown }>;
}

/** What {@link simulateShards} ran. */
export interface Simulation {
  single: RunRecord;
  shards: RunRecord[];
  merged: RunRecord;
}

/** Options of {@link simulateShards}. */
export interface SimulationOptions extends CliOptions {
  /** The config file, as `probe run -c` takes it (relative to `cwd`). */
  config: string;
  /** How many shards (processes). */
  shards: number;
  /** Where the NDJSON, JUnit and HTML files go. */
  dir: string;
}

/**
 * What a scheduler does with `probe run --shard i/N` and `probe merge`, on one
 * machine: the config run once in one process, then as N shards in N
 * processes at the same time (as N pods of an Indexed Job would), then the
 * shards' NDJSON merged — all through the built CLI.
 */
export async function simulateShards(options: SimulationOptions): Promise<Simulation> {
  const { config, shards, dir, ...cli } = options;
  const file = (name: string) => join(dir, `${name}.ndjson`);
  const run = async (name: string, extra: string[]) => {
    const process = await runCli(['run', '-c', config, '--quiet', '--ndjson', file(name), ...extra], cli);
    return readRecord(file(name), process.code, process.stderr);
  };
  const single = await run('single', []);
  const parts = await Promise.all(Array.from({ length: shards }, (_, index) => run(`shard-${index}`, ['--shard', `${index + 1}/${shards}`])));
  const merge = await runCli([
    'merge', ...parts.map((part) => part.file), '--quiet',
    '--ndjson', file('merged'), '--junit', join(dir, 'merged.xml'), '--html', join(dir, 'merged.html'),
  ], cli);
  return { single, shards: parts, merged: readRecord(file('merged'), merge.code, merge.stderr) };
}

interface Event {
  type: string;
  totals?: Record<string, number>;
  exitCode?: number;
  result?: { id: string; status: string; target: { name: string }; evidence?: { histogram?: { data?: unknown; percentiles?: unknown } } };
}

function readRecord(file: string, code: number | null, stderr: string): RunRecord {
  const events = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Event);
  const end = events.findLast((event) => event.type === 'run-end');
  if (!end) throw new Error(`${file} has no run-end event (the run did not finish)`);
  const perf = new Map<string, { histogram: unknown; percentiles: unknown }>();
  const checks: string[] = [];
  for (const { result } of events) {
    if (!result) continue;
    checks.push(`${result.target.name} ${result.id} ${result.status}`);
    const histogram = result.evidence?.histogram;
    if (histogram?.data !== undefined) perf.set(`${result.target.name} ${result.id}`, { histogram: histogram.data, percentiles: histogram.percentiles });
  }
  return { file, code, stderr, checks: checks.sort(), totals: end.totals!, exitCode: end.exitCode!, perf };
}
