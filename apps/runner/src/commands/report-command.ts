import { createConsoleReporter, markChecklist, renderChecklistMarkdown, renderHtml, renderJunit, replay, type Result } from '@probe/core';
import { parseChoice, stringOption } from '../args/option-values.ts';
import { CliError } from '../cli-error.ts';
import type { CommandHandler } from '../main.ts';
import { readEvents } from '../output/read-events.ts';
import { terminalMode } from '../output/terminal-mode.ts';
import { writeOutput } from '../output/write-output.ts';

const FORMATS = ['junit', 'md', 'console', 'html'] as const;

/** `probe report FILE.ndjson --format junit|md|console|html [--out FILE]`: rebuild a report from a saved run. */
export const reportCommand: CommandHandler = async (args, io) => {
  const format = parseChoice('--format', stringOption(args, 'format'), FORMATS);
  if (format === undefined) throw new CliError(`--format is required: one of ${FORMATS.join(', ')}. See probe report --help`);
  const out = stringOption(args, 'out');
  const events = await readEvents(args.positionals[0]!, io);
  if (format === 'junit') {
    writeOutput(renderJunit(events), out, io);
  } else if (format === 'html') {
    writeOutput(renderHtml(events), out, io);
  } else if (format === 'md') {
    const results: Result[] = events.flatMap((event) => (event.type === 'check-end' ? [event.result] : []));
    writeOutput(renderChecklistMarkdown(markChecklist({ results })), out, io);
  } else {
    let text = '';
    const buffer = { write: (chunk: string) => { text += chunk; return true; } };
    const color = out === undefined && terminalMode(io.stdout, io.env).color;
    await replay(events, [createConsoleReporter({ stream: buffer, live: false, color })]);
    writeOutput(text, out, io);
  }
  return 0;
};
