import { planRun, plannedCount, type Config, type PlannedProbe, type ShardSpec } from '@probe/core';
import { listOption, parseShard, stringOption } from '../args/option-values.ts';
import type { ParsedArgs } from '../args/parse-command-args.ts';
import { CliError } from '../cli-error.ts';

/** What `--only`, `--skip` and `--shard` select. */
export interface CliSelection {
  only: string[];
  skip: string[];
  shard?: ShardSpec;
}

/** `--only`, `--skip` and `--shard` of a command, validated. */
export function selectionOf(args: ParsedArgs): CliSelection {
  const shard = parseShard('--shard', stringOption(args, 'shard'));
  return { only: listOption(args, 'only'), skip: listOption(args, 'skip'), ...(shard ? { shard } : {}) };
}

/**
 * The checks a selection picks. `--only` globs that match no check at all are an
 * argument error (exit 2): a typo must not turn into a green, empty run. An empty
 * shard is fine (more shards than groups of checks).
 */
export function planSelection(config: Config, selection: CliSelection): PlannedProbe[] {
  if (selection.only.length > 0 && plannedCount(planRun(config.probes, { only: selection.only, skip: selection.skip })) === 0) {
    throw new CliError(`--only ${selection.only.map((glob) => `"${glob}"`).join(' ')}: no check${selection.skip.length > 0 ? ' (left after --skip)' : ''} matches; \`probe list\` shows the ids`);
  }
  return planRun(config.probes, selection);
}
