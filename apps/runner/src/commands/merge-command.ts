import { resolve } from 'node:path';
import { combinersNeeded, isProbeError, mergeRuns, replay, type RunEvent } from '@probe/core';
import { flagOption, stringOption } from '../args/option-values.ts';
import { CliError } from '../cli-error.ts';
import type { CommandHandler } from '../main.ts';
import { readEvents } from '../output/read-events.ts';
import { loadCombiners } from './load-combiners.ts';
import { createReporters } from '../output/run-reporters.ts';
import { summaryLine } from '../output/summary-line.ts';

/**
 * `probe merge A.ndjson B.ndjson … [--ndjson OUT] [--junit FILE] [--checklist FILE] [--html FILE]`:
 * the shards of a run as one run (totals and exit code recomputed; the parts of
 * split checks, such as a distributed load, combined by the package that made
 * them), written to the requested reports and summarised on the console;
 * exits with the merged exit code.
 */
export const mergeCommand: CommandHandler = async (args, io) => {
  const inputs = args.positionals;
  const ndjson = stringOption(args, 'ndjson');
  if (ndjson !== undefined && inputs.some((input) => resolve(io.cwd, input) === resolve(io.cwd, ndjson))) {
    throw new CliError(`--ndjson ${ndjson} is also an input; write the merged run to another file`);
  }
  const seen = new Set<string>();
  for (const input of inputs) {
    const file = resolve(io.cwd, input);
    if (seen.has(file)) throw new CliError(`${input} is given twice; give each shard's NDJSON once`);
    seen.add(file);
  }
  const runs: RunEvent[][] = [];
  for (const input of inputs) runs.push(await readEvents(input, io));
  const combiners = await loadCombiners(combinersNeeded(runs), io.cwd);
  let merged: RunEvent[];
  try {
    merged = mergeRuns(runs, { combiners, ...(flagOption(args, 'strict') ? { strict: true } : {}) });
  } catch (error) {
    if (isProbeError(error)) throw new CliError(error.hint ? `${error.message}; ${error.hint}` : error.message);
    throw error;
  }
  const quiet = flagOption(args, 'quiet');
  const reporters = createReporters({
    ndjson, junit: stringOption(args, 'junit'), checklist: stringOption(args, 'checklist'), html: stringOption(args, 'html'), quiet,
  }, io);
  await replay(merged, reporters);
  const end = merged.findLast((event) => event.type === 'run-end');
  if (end?.type !== 'run-end') throw new CliError('the merged run has no run-end event');
  if (quiet) io.stdout.write(summaryLine(end.totals, end.exitCode, end.durationMs, end.interrupted));
  return end.exitCode;
};
