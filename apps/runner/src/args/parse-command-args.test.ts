import { describe, expect, it } from 'vitest';
import { listSpec, reportSpec, runSpec } from '../commands/command-specs.ts';
import { parseCommandArgs } from './parse-command-args.ts';

const fails = (argv: string[], spec = runSpec) => {
  try {
    parseCommandArgs(spec, argv);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a CliError');
};

describe('parseCommandArgs', () => {
  it('parses long, short, repeated and boolean options', () => {
    const args = parseCommandArgs(runSpec, ['-c', 'x.ts', '--only', 'db.*', '--only=api.*', '--read-only', '-q', '--timeout', '500']);
    expect(args.values).toMatchObject({ config: 'x.ts', only: ['db.*', 'api.*'], 'read-only': true, quiet: true, timeout: '500' });
    expect(args.positionals).toEqual([]);
  });

  it('keeps a negative number as the value of an option, for validation to reject', () => {
    expect(parseCommandArgs(runSpec, ['--timeout', '-1']).values.timeout).toBe('-1');
    expect(parseCommandArgs(runSpec, ['-c', '-5']).values.config).toBe('-5');
  });

  it('names an unknown option, with a suggestion when one is close', () => {
    expect(fails(['--timeot', '5'])).toBe('unknown option --timeot; did you mean --timeout? See probe run --help');
    expect(fails(['--frobnicate'])).toBe('unknown option --frobnicate. See probe run --help');
    expect(fails(['-x'])).toBe('unknown option -x. See probe run --help');
  });

  it('names an option without its value, and a flag with one', () => {
    expect(fails(['--config'])).toBe('--config: expected a value (--config FILE). See probe run --help');
    expect(fails(['-c'])).toBe('--config: expected a value (--config FILE). See probe run --help');
    expect(fails(['--strict=yes'])).toBe('--strict takes no value. See probe run --help');
  });

  it('checks positionals', () => {
    expect(fails(['extra'], listSpec)).toBe('unexpected argument "extra"; probe list takes no positional arguments. See probe list --help');
    expect(fails(['--format', 'md'], reportSpec)).toContain('missing the NDJSON file to render; usage: probe report FILE.ndjson');
    expect(fails(['a.ndjson', 'b.ndjson'], reportSpec)).toContain('unexpected argument "b.ndjson"');
    expect(parseCommandArgs(reportSpec, ['a.ndjson', '--format', 'md']).positionals).toEqual(['a.ndjson']);
  });

  it('lets --help through whatever else is missing', () => {
    expect(parseCommandArgs(reportSpec, ['--help']).values.help).toBe(true);
  });
});
