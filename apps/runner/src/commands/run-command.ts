import { run } from '@probe/core';
import { flagOption, parseMilliseconds, parsePositiveInteger, stringOption } from '../args/option-values.ts';
import { loadConfig } from '../config/load-config.ts';
import { trapInterrupts } from '../interrupts.ts';
import type { CommandHandler } from '../main.ts';
import { createReporters } from '../output/run-reporters.ts';
import { summaryLine } from '../output/summary-line.ts';
import { planSelection, selectionOf } from './selection.ts';

/** `probe run`: load and validate the config, run it with the flags, report; the engine's exit code. */
export const runCommand: CommandHandler = async (args, io) => {
  // Every argument is validated before the config is even loaded: a bad flag runs nothing.
  const timeoutMs = parseMilliseconds('--timeout', stringOption(args, 'timeout'));
  const concurrency = parsePositiveInteger('--concurrency', stringOption(args, 'concurrency'));
  const selection = selectionOf(args);
  const quiet = flagOption(args, 'quiet');
  const loaded = await loadConfig(stringOption(args, 'config'), io);
  planSelection(loaded.config, selection);
  const reporters = createReporters({
    ndjson: stringOption(args, 'ndjson'),
    junit: stringOption(args, 'junit'),
    checklist: stringOption(args, 'checklist'),
    html: stringOption(args, 'html'),
    quiet,
    verbose: flagOption(args, 'verbose'),
  }, io);
  const trap = trapInterrupts(io);
  try {
    const summary = await run(loaded.config, {
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...selection,
      readOnly: flagOption(args, 'read-only'),
      strict: flagOption(args, 'strict'),
      signal: trap.signal,
      reporters,
      secrets: loaded.secrets,
    });
    if (quiet) io.stdout.write(summaryLine(summary.totals, summary.exitCode, summary.durationMs, summary.interrupted));
    return summary.exitCode;
  } finally {
    trap.dispose();
  }
};
