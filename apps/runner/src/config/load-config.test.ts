import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fakeIo } from '../fake-io.test-helper.ts';
import { loadConfig } from './load-config.ts';
import { jsonPosition } from './read-json-config.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

function dir(): string {
  const path = mkdtempSync(join(tmpdir(), 'probe-load-'));
  onTestFinished(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return { message: (error as Error).message, exitCode: (error as { exitCode?: number }).exitCode };
  }
  throw new Error('expected the config to be refused');
};

describe('loadConfig', () => {
  it('loads a TypeScript config and shows it relative to the working directory', async () => {
    const loaded = await loadConfig('basic.config.ts', fakeIo(fixtures));
    expect(loaded.shownAs).toBe('basic.config.ts');
    expect(loaded.config.probes.map((probe) => probe.target.name)).toEqual(['alpha', 'beta']);
    expect(loaded.secrets).toEqual([]);
  });

  it('calls a default-exported (async) function, and accepts a `config` export', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'fn.mjs'), 'export default async () => ({ probes: [] });\n');
    writeFileSync(join(cwd, 'named.mjs'), 'export const config = { probes: [], timeoutMs: 100 };\n');
    expect((await loadConfig('fn.mjs', fakeIo(cwd))).config).toEqual({ probes: [] });
    const named = await loadConfig(join(cwd, 'named.mjs'), fakeIo(fixtures));
    expect(named.config).toEqual({ probes: [], timeoutMs: 100 });
    expect(named.shownAs).toBe(join(cwd, 'named.mjs'));   // outside the working directory: shown absolute
  });

  it('builds a JSON config’s probes from its factories, with env interpolation and its secrets', async () => {
    const loaded = await loadConfig('canary.config.json', fakeIo(fixtures, { CANARY_API_TOKEN: 'tok-abc-123' }));
    expect(loaded.config.probes[0]!.target).toEqual({ kind: 'http', name: 'json-canary', url: 'http://127.0.0.1:1/?ref=tok-abc-123' });
    expect(loaded.secrets).toEqual(['tok-abc-123']);
    expect(loaded.redact('key tok-abc-123')).toBe('key ***');
    expect('$schema' in loaded.config).toBe(false);
  });

  it('reports JSON problems at their paths: not a factory reference, extra keys, a throwing factory, an unknown package', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'probe.config.json'), JSON.stringify({
      probes: [
        { target: { kind: 'x', name: 'x' } },
        { use: `${join(fixtures, 'json-probes.ts')}#throwingProbe`, options: {}, extra: 1 },
        { use: '@probe/surely-not-installed#x' },
        { use: './missing-file.mjs' },
      ],
    }));
    const { message, exitCode } = await failure(loadConfig(undefined, fakeIo(cwd)));
    expect(exitCode).toBe(2);
    expect(message).toContain('invalid config probe.config.json (5 problems); nothing was run:');
    expect(message).toContain('  probes[0]: expected { "use": "module#export", "options": { … } }');
    expect(message).toContain('  probes[1].extra: unknown option "extra"');
    expect(message).toContain('json-probes.ts#throwingProbe threw: name is required');
    expect(message).toContain('  probes[2].use: cannot find "@probe/surely-not-installed" from');
    expect(message).toContain('  probes[3].use: cannot load "./missing-file.mjs"');
  });

  it('names the line and column of a JSON syntax error', async () => {
    const { message } = await failure(loadConfig('invalid/bad-json.config.json', fakeIo(fixtures)));
    expect(message).toBe('invalid/bad-json.config.json:3:46: invalid JSON: Expected double-quoted property name');
    expect(jsonPosition('Unexpected token } in JSON at position 12', '{\n  "a": 1,\n}')).toBe(':3:1');
    expect(jsonPosition('Unexpected end of JSON input', '{')).toBe('');
  });

  it('refuses a JSON file that is not an object', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'probe.config.json'), '[1, 2]');
    expect((await failure(loadConfig(undefined, fakeIo(cwd)))).message).toBe('probe.config.json: expected a JSON object ({ "probes": [...] }), got an array');
  });

  it('refuses a directory given as the config', async () => {
    expect((await failure(loadConfig('invalid', fakeIo(fixtures)))).message).toBe('config file invalid is not a file');
  });

  it('redacts the issues with the config’s own secrets and URL passwords', async () => {
    const { message } = await failure(loadConfig('canary-invalid.config.ts', fakeIo(fixtures)));
    expect(message).toContain('got "postgres://app:***@localhost"');
    expect(message).not.toContain('CANARY_pw_9f3');
  });

  it('redacts load errors with secret-looking environment values too', async () => {
    const { message } = await failure(loadConfig('canary-throws.config.ts', fakeIo(fixtures, { CANARY_API_TOKEN: 'unset' })));
    expect(message).toBe('canary-throws.config.ts threw while loading: cannot prepare postgres://app:***@127.0.0.1:1/db with token *** (at canary-throws.config.ts:3:7)');
  });
});
