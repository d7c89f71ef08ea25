import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { check, probe } from '../../test/helpers.ts';
import { parseOptions } from './options.ts';
import { configIssues } from './validate.ts';

const ok = { status: 'pass' as const, summary: '' };
const lines = (input: unknown) => configIssues(input).map((issue) => `${issue.path}: ${issue.message}`);

describe('configIssues', () => {
  it('accepts a valid config', () => {
    expect(configIssues({ probes: [probe('a', [check('x.a', ok)])], timeoutMs: 1_000, concurrency: 2 })).toEqual([]);
  });

  it.each([
    ['not an object', 'nope', /^: expected the config to export an object/],
    ['probes missing', {}, /^probes: is required \(expected array\)/],
    ['probes not an array', { probes: {} }, /^probes: expected an array of probes/],
    ['negative timeout', { probes: [], timeoutMs: -5 }, /^timeoutMs: expected a positive number of milliseconds, got -5/],
    ['string timeout', { probes: [], timeoutMs: '5s' }, /^timeoutMs: expected a positive number of milliseconds, got "5s"/],
    ['zero concurrency', { probes: [], concurrency: 0 }, /^concurrency: expected a positive whole number, got 0/],
    ['unknown top-level key', { probes: [], timeout: 5 }, /^timeout: unknown option "timeout"/],
    ['probe not an object', { probes: [42] }, /^probes\[0\]: expected a probe/],
    ['probe without target', { probes: [{ checks: [] }] }, /^probes\[0\]\.target: is required/],
    ['bad check id', { probes: [probe('a', [check('Bad', ok)])] }, /^probes\[0\]\.checks\[0\]\.id: expected a dotted lower-case id/],
    ['check without run', { probes: [probe('a', [{ id: 'x.a', title: 'A' } as never])] }, /^probes\[0\]\.checks\[0\]\.run: expected a function run\(ctx\)/],
    ['negative check timeout', { probes: [probe('a', [check('x.a', ok, { timeoutMs: -1 })])] }, /^probes\[0\]\.checks\[0\]\.timeoutMs: expected a positive number/],
    ['split combiner without #export', { probes: [probe('a', [check('x.a', ok, { split: { combiner: '@probe/perf' } })])] }, /^probes\[0\]\.checks\[0\]\.split\.combiner: expected "<package>#<export>", e\.g\. "@probe\/perf#combineLoadParts", got "@probe\/perf"/],
    ['duplicate target names', { probes: [probe('a', []), probe('a', [])] }, /^probes\[1\]\.target\.name: "a" is already the name of probes\[0\]/],
    ['duplicate check ids', { probes: [probe('a', [check('x.a', ok), check('x.a', ok)])] }, /^probes\[0\]\.checks\[1\]\.id: duplicate check id "x\.a"/],
    ['unknown needs', { probes: [probe('a', [check('x.a', ok, { needs: ['x.zzz'] })])] }, /^probes\[0\]\.checks\[0\]\.needs: "x\.zzz" is not a check of this probe/],
    ['probe option issues', { probes: [probe('a', [], { issues: [{ path: 'url', message: 'expected a postgres:// URL, got "localhost"' }] })] }, /^probes\[0\]\.url: expected a postgres:\/\/ URL, got "localhost"/],
  ])('names the field: %s', (_name, input, pattern) => {
    expect(lines(input).join('\n')).toMatch(pattern);
  });
});

describe('parseOptions', () => {
  const schema = z.object({
    url: z.string().regex(/^postgres(ql)?:\/\//, { error: (issue) => `expected a postgres:// URL, got ${JSON.stringify(issue.input)}` }),
    poolSize: z.number().int().positive().optional(),
    format: z.enum(['sql', 'node-pg-migrate']).optional(),
  }).strict();

  it('returns the parsed value', () => {
    expect(parseOptions(schema, { url: 'postgres://h/db' })).toEqual({ ok: true, value: { url: 'postgres://h/db' }, issues: [] });
  });

  it('returns issues with paths and expected/got wording', () => {
    expect(parseOptions(schema, { url: 'localhost', poolSize: 'ten', format: 'flyway', extra: 1 }).issues).toEqual([
      { path: 'url', message: 'expected a postgres:// URL, got "localhost"' },
      { path: 'poolSize', message: 'expected number, got "ten"' },
      { path: 'format', message: 'expected one of "sql"|"node-pg-migrate", got "flyway"' },
      { path: 'extra', message: 'unknown option "extra"; remove it or check its spelling' },
    ]);
  });
});
