import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '@probe/core';
import { describeImportError, importConfigModule } from './import-config-module.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const load = (name: string) => importConfigModule(`${fixtures}${name}`, name, createRedactor());
const refusal = async (name: string) => {
  try {
    await load(name);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${name} loaded`);
};

describe('importConfigModule (in-process)', () => {
  it.each([
    ['invalid/default-not-object.config.mjs', 'invalid/default-not-object.config.mjs: the default export must be a config object ({ probes: [...] }) or a function returning one, got a number'],
    ['invalid/no-default-export.config.mjs', 'invalid/no-default-export.config.mjs has no default export (nor a `config` export)'],
    ['invalid/missing-import.config.mjs', 'invalid/missing-import.config.mjs imports "@probe/not-installed" that cannot be found'],
    ['invalid/throws.config.mjs', 'invalid/throws.config.mjs threw while loading: PROBE_REGION is not set'],
  ])('%s', async (name, message) => {
    expect(await refusal(name)).toContain(message);
  });
});

// Node's own errors, as the real CLI gets them: vitest's module runner would report its own instead,
// so a child Node imports the file and hands the error back.
function nodeError(name: string): Error {
  const script = `import(${JSON.stringify(pathToFileURL(`${fixtures}${name}`).href)}).then(() => process.exit(3), (error) => {
    process.stdout.write(JSON.stringify({ name: error.name, code: error.code, message: error.message, stack: error.stack }));
  });`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const { name: errorName, code, message, stack } = JSON.parse(child.stdout) as { name: string; code?: string; message: string; stack: string };
  const error = errorName === 'SyntaxError' ? new SyntaxError(message) : new Error(message);
  return Object.assign(error, { stack, ...(code ? { code } : {}) });
}

describe('describeImportError (Node’s errors)', () => {
  it.each([
    ['broken/syntax-error.config.ts', 'broken/syntax-error.config.ts:5: syntax error: Expression expected\n    probes: [markerProbe(),, }\n                             ^'],
    ['broken/syntax-error.config.mjs', "broken/syntax-error.config.mjs:5: syntax error: Unexpected token '}'\n  };\n  ^"],
    ['broken/enum.config.ts', 'broken/enum.config.ts:3: syntax error: TypeScript enum is not supported in strip-only mode (Node runs .ts configs by stripping types: no enum, namespace or parameter properties)'],
    ['invalid/throws.config.mjs', 'invalid/throws.config.mjs threw while loading: PROBE_REGION is not set (at invalid/throws.config.mjs:3:7)'],
    ['invalid/missing-import.config.mjs', 'invalid/missing-import.config.mjs imports "@probe/not-installed" that cannot be found; install it (e.g. pnpm add -D @probe/not-installed) or fix the import'],
  ])('%s', async (name, message) => {
    expect(await describeImportError(nodeError(name), `${fixtures}${name}`, name)).toContain(message);
  });

  it('says so when this Node cannot strip types', async () => {
    const error = Object.assign(new TypeError('Unknown file extension ".ts"'), { code: 'ERR_UNKNOWN_FILE_EXTENSION' });
    expect(await describeImportError(error, '/x/probe.config.ts', 'probe.config.ts')).toMatch(/^probe\.config\.ts: Node [\d.]+ cannot load TypeScript; run probe on Node ≥ 22\.18/);
  });

  it('describes a thrown non-error and a module it cannot place', async () => {
    expect(await describeImportError('a string', '/x/c.mjs', 'c.mjs')).toBe('c.mjs threw while loading: a string');
    const missing = Object.assign(new Error("Cannot find module '/x/other.mjs' imported from /x/c.mjs"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(await describeImportError(missing, '/x/c.mjs', 'c.mjs')).toBe('c.mjs imports "/x/other.mjs" that cannot be found; install it (e.g. pnpm add -D <package>) or fix the import');
  });
});
