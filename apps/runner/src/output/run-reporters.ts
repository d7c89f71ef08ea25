import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createChecklistReporter, createConsoleReporter, createHtmlReporter, createJunitReporter, createNdjsonReporter, type Reporter } from '@probe/core';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { terminalMode } from './terminal-mode.ts';

/** Which reports a command writes; file paths are relative to the working directory. */
export interface ReportTargets {
  ndjson?: string;
  junit?: string;
  checklist?: string;
  /** The HTML report (written on close, like JUnit and the checklist). */
  html?: string;
  /** No console reporter (the command prints one summary line instead). */
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * The reporters of `probe run` and `probe merge`: console (live on a TTY, plain
 * lines otherwise or under CI; NO_COLOR respected) plus the requested files.
 * Each file's directory is created and checked before anything runs, so that an
 * unwritable path is an argument error (exit 2), not a lost report.
 */
export function createReporters(targets: ReportTargets, io: CliIo): Reporter[] {
  const reporters: Reporter[] = [];
  if (!targets.quiet) {
    const { live, color } = terminalMode(io.stdout, io.env);
    reporters.push(createConsoleReporter({ stream: io.stdout, live, color, verbose: targets.verbose ?? false }));
  }
  const files: [flag: string, path: string | undefined, create: (path: string) => Reporter][] = [
    ['--ndjson', targets.ndjson, createNdjsonReporter],
    ['--junit', targets.junit, createJunitReporter],
    ['--checklist', targets.checklist, createChecklistReporter],
    ['--html', targets.html, (path) => createHtmlReporter(path)],
  ];
  const wanted = files.filter((entry): entry is [string, string, (path: string) => Reporter] => entry[1] !== undefined);
  // Check every path before creating any reporter: the NDJSON reporter truncates its file at once.
  for (const [flag, path] of wanted) {
    const file = resolve(io.cwd, path);
    attempt(flag, path, () => {
      if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a directory');
      mkdirSync(dirname(file), { recursive: true });
    });
  }
  for (const [flag, path, create] of wanted) attempt(flag, path, () => reporters.push(create(resolve(io.cwd, path))));
  return reporters;
}

function attempt(flag: string, path: string, action: () => unknown): void {
  try {
    action();
  } catch (error) {
    throw new CliError(`${flag}: cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
