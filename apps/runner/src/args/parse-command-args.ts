import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from '../cli-error.ts';
import type { CommandSpec } from './command-spec.ts';
import { didYouMean } from './did-you-mean.ts';

/** Parsed values by long option name, and the positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parse a command's arguments strictly with `node:util` parseArgs. Every problem
 * becomes a {@link CliError} (exit 2) that names the option and what to do:
 * `unknown option --timeot; did you mean --timeout? See probe run --help`.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  const seeHelp = `See probe ${spec.name} --help`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, spec), options, strict: true, allowPositionals: spec.positionals !== undefined });
  } catch (error) {
    throw new CliError(describeParseError(error, spec, seeHelp));
  }
  const values = parsed.values as ParsedArgs['values'];
  const positionals = parsed.positionals;
  if (values.help) return { values, positionals };
  const allowed = spec.positionals;
  if (allowed) {
    if (positionals.length < allowed.min) throw new CliError(`missing ${allowed.name}; usage: probe ${spec.usage}. ${seeHelp}`);
    if (allowed.max !== undefined && positionals.length > allowed.max) {
      throw new CliError(`unexpected argument "${positionals[allowed.max]}"; usage: probe ${spec.usage}. ${seeHelp}`);
    }
  }
  return { values, positionals };
}

/** `--timeout -1` → `--timeout=-1`, so that a negative number reaches validation instead of looking like an option. */
function joinNegativeValues(argv: readonly string[], spec: CommandSpec): string[] {
  const takesValue = new Set<string>();
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (option.short) takesValue.add(`-${option.short}`);
  }
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    const next = argv[index + 1];
    if (takesValue.has(token) && next !== undefined && /^-\d/.test(next)) {
      out.push(token.startsWith('--') ? `${token}=${next}` : `${token}${next}`);
      index += 1;
    } else {
      out.push(token);
    }
  }
  return out;
}

function describeParseError(error: unknown, spec: CommandSpec, seeHelp: string): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const flag = /--[A-Za-z0-9-]+/.exec(quoted)?.[0] ?? quoted.split(/[\s=,]/)[0] ?? quoted;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const suggestion = flag.startsWith('--') ? didYouMean(flag.slice(2), [...Object.keys(spec.options), 'help']) : undefined;
    return suggestion ? `unknown option ${flag}; did you mean --${suggestion}? ${seeHelp}` : `unknown option ${flag}. ${seeHelp}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `unexpected argument "${quoted}"; probe ${spec.name} takes no positional arguments. ${seeHelp}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${flag} takes no value. ${seeHelp}`;
    const option = spec.options[flag.replace(/^-+/, '')];
    return `${flag}: expected a value (${flag} ${option?.placeholder ?? 'VALUE'}). ${seeHelp}`;
  }
  return `${message.split('\n')[0]}. ${seeHelp}`;
}
