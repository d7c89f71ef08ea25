import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { markChecklist, renderChecklistMarkdown, renderChecklistText, type Result } from '@probe/core';
import { parseChoice, stringOption } from '../args/option-values.ts';
import { CliError } from '../cli-error.ts';
import { DEFAULT_CONFIG_FILES } from '../config/find-config-file.ts';
import { loadConfig } from '../config/load-config.ts';
import type { CommandHandler } from '../main.ts';
import { readEvents } from '../output/read-events.ts';
import { terminalMode } from '../output/terminal-mode.ts';
import { writeOutput } from '../output/write-output.ts';

/**
 * `probe checklist`: the two checklists with every item marked — from a saved
 * run's results (`--from`), from a config's checks without running them
 * (`--config`, the default), or both.
 */
export const checklistCommand: CommandHandler = async (args, io) => {
  const format = parseChoice('--format', stringOption(args, 'format'), ['text', 'md'] as const, 'text');
  const from = stringOption(args, 'from');
  const configFile = stringOption(args, 'config');
  const out = stringOption(args, 'out');
  let results: Result[] | undefined;
  if (from !== undefined) {
    const events = await readEvents(from, io);
    results = events.flatMap((event) => (event.type === 'check-end' ? [event.result] : []));
  }
  if (from === undefined && configFile === undefined && !DEFAULT_CONFIG_FILES.some((name) => existsSync(join(io.cwd, name)))) {
    throw new CliError(`nothing to mark: no config file in ${io.cwd}; pass --config FILE (coverage of its checks) or --from FILE.ndjson (results of a saved run)`);
  }
  const checks = from === undefined || configFile !== undefined
    ? (await loadConfig(configFile, io)).config.probes.flatMap((probe) => probe.checks.map((check) => ({ id: check.id, checklist: check.checklist ?? [], target: probe.target })))
    : undefined;
  const marks = markChecklist({ ...(results ? { results } : {}), ...(checks ? { checks } : {}) });
  const color = out === undefined && terminalMode(io.stdout, io.env).color;
  writeOutput(format === 'md' ? renderChecklistMarkdown(marks) : renderChecklistText(marks, { color }), out, io);
  return 0;
};
