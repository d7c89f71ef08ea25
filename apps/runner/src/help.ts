import type { CommandSpec } from './args/command-spec.ts';
import { COMMAND_SPECS } from './commands/command-specs.ts';

/** `probe --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMAND_SPECS.map((spec) => spec.name.length)) + 2;
  return [
    'probe — run integration-testing checklist probes against live systems',
    '',
    'Usage: probe <command> [options]',
    '',
    'Commands:',
    ...COMMAND_SPECS.map((spec) => `  ${spec.name.padEnd(width)}${spec.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (probe <command> --help for a command’s options)',
    '  -V, --version  Print the version',
    '',
    'Exit codes: 0 all passed, 1 a check failed, 2 a check errored or the config/arguments are invalid, 130/143 interrupted.',
    '',
  ].join('\n');
}

/** `probe <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flags = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.placeholder ? ` ${option.placeholder}` : ''}`;
    return [flags, `${option.description}`] as const;
  });
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([flags]) => flags.length)) + 2;
  return [
    `probe ${spec.name} — ${spec.summary}`,
    '',
    `Usage: probe ${spec.usage}`,
    '',
    'Options:',
    ...rows.map(([flags, description]) => `  ${flags.padEnd(width)}${description}`),
    ...(spec.notes ?? []).flatMap((note) => ['', note]),
    '',
  ].join('\n');
}
