import type { CommandSpec } from './args/command-spec.ts';
import { didYouMean } from './args/did-you-mean.ts';
import { parseCommandArgs, type ParsedArgs } from './args/parse-command-args.ts';
import { EXIT_INVALID, isCliError } from './cli-error.ts';
import { COMMAND_SPECS } from './commands/command-specs.ts';
import { commandHelp, mainHelp } from './help.ts';
import type { CliIo } from './io.ts';
import { VERSION } from './version.ts';

/** What a command module exports: run with parsed arguments, resolve to the exit code. */
export type CommandHandler = (args: ParsedArgs, io: CliIo) => Promise<number>;

// Each command is imported only when it runs: `probe --help` loads no @probe/core, zod or opossum.
const HANDLERS: Record<string, () => Promise<CommandHandler>> = {
  run: async () => (await import('./commands/run-command.ts')).runCommand,
  list: async () => (await import('./commands/list-command.ts')).listCommand,
  checklist: async () => (await import('./commands/checklist-command.ts')).checklistCommand,
  report: async () => (await import('./commands/report-command.ts')).reportCommand,
  merge: async () => (await import('./commands/merge-command.ts')).mergeCommand,
  proxy: async () => (await import('./commands/proxy-command.ts')).proxyCommand,
};

/**
 * The whole CLI: `probe <command> [options]` → exit code. Problems with arguments
 * and configs are printed as plain lines on stderr (exit 2), never as stack traces.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(`probe: missing command\n\n${mainHelp()}`);
    return EXIT_INVALID;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const spec = first === 'help' && rest[0] ? COMMAND_SPECS.find((candidate) => candidate.name === rest[0]) : undefined;
    io.stdout.write(spec ? commandHelp(spec) : mainHelp());
    return 0;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const spec = COMMAND_SPECS.find((candidate) => candidate.name === first);
  if (!spec) {
    io.stderr.write(`probe: ${unknownCommand(first)}\n`);
    return EXIT_INVALID;
  }
  return runCommand(spec, rest, io);
}

async function runCommand(spec: CommandSpec, argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCommandArgs(spec, argv);
    if (args.values.help) {
      io.stdout.write(commandHelp(spec));
      return 0;
    }
    const handler = await HANDLERS[spec.name]!();
    return await handler(args, io);
  } catch (error) {
    if (isCliError(error)) {
      io.stderr.write(`probe ${spec.name}: ${error.message}\n`);
      return error.exitCode;
    }
    // Not expected: say so in one line, redacted (URL passwords, secret-looking environment values).
    const [{ createRedactor }, { secretEnvValues }] = await Promise.all([import('@probe/core'), import('./config/secret-env.ts')]);
    const redact = createRedactor(secretEnvValues(io.env));
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(redact(`probe ${spec.name}: unexpected error: ${message}\n`));
    if (/\bprobe:(\*|runner)/.test(io.env.DEBUG ?? '') && error instanceof Error && error.stack) io.stderr.write(`${redact(error.stack)}\n`);
    else io.stderr.write('(set DEBUG=probe:runner for the stack trace, and please report it)\n');
    return EXIT_INVALID;
  }
}

function unknownCommand(name: string): string {
  const names = COMMAND_SPECS.map((spec) => spec.name);
  if (name.startsWith('-')) {
    return `unknown option ${name} before a command; usage: probe <command> [options]. See probe --help`;
  }
  const suggestion = didYouMean(name, names);
  return `unknown command "${name}"${suggestion ? `; did you mean probe ${suggestion}?` : ''} Commands: ${names.join(', ')}. See probe --help`;
}
