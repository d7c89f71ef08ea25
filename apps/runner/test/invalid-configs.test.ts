import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';
import { markers, tempDir } from './temp-dir.ts';

// Every malformed config or argument: exit 2, one message naming the field or the file,
// no stack trace, and nothing ran (the fixtures' probes leave marker files when they do).
const cases: { name: string; args: string[]; message: string | RegExp; inEmptyDir?: boolean }[] = [
  { name: 'timeoutMs of the wrong type', args: ['-c', 'invalid/timeout-string.config.mjs'], message: 'timeoutMs: expected a positive number of milliseconds, got "5s"' },
  { name: 'a negative timeoutMs', args: ['-c', 'invalid/timeout-negative.config.mjs'], message: 'timeoutMs: expected a positive number of milliseconds, got -100' },
  { name: 'a negative check timeout', args: ['-c', 'invalid/check-timeout-negative.config.mjs'], message: 'probes[0].checks[0].timeoutMs: expected a positive number of milliseconds, got -5' },
  { name: 'concurrency 0', args: ['-c', 'invalid/concurrency-zero.config.mjs'], message: 'concurrency: expected a positive whole number, got 0' },
  { name: 'probes not an array', args: ['-c', 'invalid/probes-not-array.config.mjs'], message: 'probes: expected an array of probes' },
  { name: 'a probe without target', args: ['-c', 'invalid/missing-target.config.mjs'], message: 'probes[1].target: is required' },
  { name: 'a check with a bad id', args: ['-c', 'invalid/bad-check-id.config.mjs'], message: 'probes[0].checks[1].id: expected a dotted lower-case id like "db.connection.connectivity", got "Not A Dotted Id"' },
  { name: 'a check without run', args: ['-c', 'invalid/check-without-run.config.mjs'], message: 'probes[0].checks[1].run: expected a function' },
  { name: 'duplicate target names', args: ['-c', 'invalid/duplicate-target.config.mjs'], message: 'probes[1].target.name: "twin" is already the name of probes[0]' },
  { name: 'needs naming a nonexistent check', args: ['-c', 'invalid/needs-missing.config.mjs'], message: 'probes[0].checks[1].needs: "test.marker.nope" is not a check of this probe' },
  { name: 'an unknown top-level key', args: ['-c', 'invalid/unknown-key.config.mjs'], message: 'timeout: unknown option "timeout"' },
  { name: 'a probe carrying its factory’s issues', args: ['-c', 'invalid/probe-issues.config.mjs'], message: 'probes[1].url: expected a postgres:// URL, got "localhost"' },
  { name: 'a missing config file', args: ['-c', 'invalid/nope.config.ts'], message: 'config file not found: invalid/nope.config.ts' },
  { name: 'no config in the directory', args: [], message: /no config file in \/.+: none of probe\.config\.ts, probe\.config\.mts/, inEmptyDir: true },
  { name: 'a syntax error in the TS file', args: ['-c', 'broken/syntax-error.config.ts'], message: /broken\/syntax-error\.config\.ts:5: syntax error: Expression expected\n\s+probes: \[markerProbe\(\),, \}\n\s+\^/ },
  { name: 'TypeScript that type stripping cannot run', args: ['-c', 'broken/enum.config.ts'], message: 'broken/enum.config.ts:3: syntax error: TypeScript enum is not supported in strip-only mode' },
  { name: 'a syntax error in a JS file', args: ['-c', 'broken/syntax-error.config.mjs'], message: "broken/syntax-error.config.mjs:5: syntax error: Unexpected token '}'" },
  { name: 'a config module that throws', args: ['-c', 'invalid/throws.config.mjs'], message: 'invalid/throws.config.mjs threw while loading: PROBE_REGION is not set (at invalid/throws.config.mjs:3:7)' },
  { name: 'a config function that rejects', args: ['-c', 'invalid/function-rejects.config.mjs'], message: 'invalid/function-rejects.config.mjs: the config function threw: could not fetch the target list' },
  { name: 'a default export that is not an object', args: ['-c', 'invalid/default-not-object.config.mjs'], message: 'invalid/default-not-object.config.mjs: the default export must be a config object ({ probes: [...] }) or a function returning one, got a number' },
  { name: 'no default export', args: ['-c', 'invalid/no-default-export.config.mjs'], message: 'invalid/no-default-export.config.mjs has no default export' },
  { name: 'an import that is not installed', args: ['-c', 'invalid/missing-import.config.mjs'], message: 'invalid/missing-import.config.mjs imports "@probe/not-installed" that cannot be found' },
  { name: 'JSON with a missing env var', args: ['-c', 'invalid/missing-env.config.json'], message: 'probes[0].options.name: environment variable PROBE_TEST_SURELY_UNSET_VAR is not set' },
  { name: 'JSON that does not parse', args: ['-c', 'invalid/bad-json.config.json'], message: 'invalid/bad-json.config.json:3:46: invalid JSON' },
  { name: 'JSON naming an unknown factory', args: ['-c', 'invalid/unknown-factory.config.json'], message: 'probes[0].use: "../json-probes.ts" has no factory export "postgress"; it exports default, fixedProbe, throwingProbe' },
  { name: 'JSON whose factory reports an option', args: ['-c', 'invalid/json-option-issue.config.json'], message: 'probes[0].options.status: expected one of pass, fail, warn, skip, error, got "green"' },
  { name: '--shard 0/2', args: ['-c', 'basic.config.ts', '--shard', '0/2'], message: '--shard: expected I/N with 1 ≤ I ≤ N, got "0/2"' },
  { name: '--shard 5/4', args: ['-c', 'basic.config.ts', '--shard', '5/4'], message: '--shard: expected I/N with 1 ≤ I ≤ N, got "5/4"' },
  { name: '--timeout -1', args: ['-c', 'basic.config.ts', '--timeout', '-1'], message: '--timeout: expected a positive number of milliseconds, got "-1"' },
  { name: '--timeout abc', args: ['-c', 'basic.config.ts', '--timeout', 'abc'], message: '--timeout: expected a positive number of milliseconds, got "abc"' },
  { name: '--concurrency x', args: ['-c', 'basic.config.ts', '--concurrency', 'x'], message: '--concurrency: expected a positive whole number, got "x"' },
  { name: 'an unknown option', args: ['-c', 'basic.config.ts', '--timeot', '5'], message: 'unknown option --timeot; did you mean --timeout? See probe run --help' },
  { name: 'a flag given a value', args: ['-c', 'basic.config.ts', '--strict=yes'], message: '--strict takes no value' },
  { name: '--only matching nothing', args: ['-c', 'basic.config.ts', '--only', 'db.nothing.*'], message: '--only "db.nothing.*": no check matches' },
];

describe.concurrent('probe run with an invalid config or arguments', () => {
  it.for(cases)('$name → exit 2, names it, runs nothing', async ({ args, message, inEmptyDir }, context) => {
    const out = tempDir(context);
    const result = await runCli(['run', ...args, '--ndjson', join(out, 'run.ndjson')], { ...(inEmptyDir ? { cwd: out } : {}), env: { PROBE_TEST_OUT: out } });
    expect(result.code, result.stderr).toBe(2);
    if (typeof message === 'string') expect(result.stderr).toContain(message);
    else expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);   // no stack trace
    expect(result.stdout).toBe('');
    expect(markers(out)).toEqual([]);
    expect(existsSync(join(out, 'run.ndjson'))).toBe(false);
  });

  it('has at least 15 malformed configs and the bad arguments', () => {
    expect(cases.filter((entry) => !entry.name.startsWith('-') && !entry.name.includes('option')).length).toBeGreaterThanOrEqual(15);
  });
});
