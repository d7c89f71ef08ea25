import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fakeIo } from './fake-io.test-helper.ts';
import { main } from './main.ts';

const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

describe('main', () => {
  it('prints help and the version without a command module', async () => {
    const io = fakeIo(fixtures);
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: probe <command> [options]');
    expect(await main(['help', 'merge'], io)).toBe(0);
    expect(io.out()).toContain('Usage: probe merge A.ndjson B.ndjson');
    expect(await main(['-V'], io)).toBe(0);
    expect(io.out()).toMatch(/\n\d+\.\d+\.\d+\n$/);
  });

  it('names an unknown or missing command and exits 2', async () => {
    const io = fakeIo(fixtures);
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('probe: missing command');
    expect(await main(['lsit'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "lsit"; did you mean probe list?');
    expect(await main(['--verbose'], io)).toBe(2);
    expect(io.err()).toContain('unknown option --verbose before a command');
  });

  it('runs a config in-process and returns the engine’s exit code', async () => {
    const io = fakeIo(fixtures);
    expect(await main(['run', '-c', 'basic.config.ts', '--only', 'db.*'], io)).toBe(0);
    expect(io.out()).toContain('3 passed, 0 failed, 0 warned, 0 skipped, 0 errored');
    expect(io.handlers()).toBe(0);   // the signal handlers are removed after the run
  });

  it('reports an unexpected error as one line, with the stack only under DEBUG', async () => {
    const io = fakeIo(fixtures);
    const code = await main(['run', '-c', 'invalid/function-rejects.config.mjs'], io);
    expect(code).toBe(2);
    expect(io.err()).not.toContain('    at ');
  });

  it('SIGINT aborts the run through its signal; a second one exits at once', async () => {
    const out = mkdtempSync(join(tmpdir(), 'probe-main-'));
    onTestFinished(() => { delete process.env.PROBE_TEST_OUT; rmSync(out, { recursive: true, force: true }); });
    process.env.PROBE_TEST_OUT = out;   // where the fixture's waiting check leaves its marker
    const io = fakeIo(fixtures, {});
    const running = main(['run', '-c', 'interrupt.config.ts', '--only', 'slow-target/*', '--quiet'], io);
    while (!existsSync(join(out, 'waiting'))) await new Promise((resolve) => setTimeout(resolve, 5));
    io.interrupt('SIGINT');
    io.interrupt('SIGTERM');
    expect(await running).toBe(130);
    expect(io.exits).toEqual([143]);
    expect(io.err()).toContain('probe: SIGINT received; stopping');
    expect(io.err()).toContain('probe: SIGTERM again; exiting now');
    expect(io.out()).toMatch(/^probe: 1 passed, 1 errored in [\d.]+ ms; interrupted by SIGINT; exit 130\n$/);
    expect(existsSync(join(out, 'teardown'))).toBe(true);
  });

  it('the version is the package’s', async () => {
    const io = fakeIo(fixtures);
    await main(['--version'], io);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(io.out()).toBe(`${pkg.version}\n`);
  });
});
