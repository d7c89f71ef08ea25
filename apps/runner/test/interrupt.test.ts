import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, type StartedCli } from './cli-process.ts';
import { tempDir } from './temp-dir.ts';

/** Resolve once `file` exists (the fixture's check writes it when it starts waiting). */
async function appears(file: string, cli: StartedCli, withinMs = 3_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!existsSync(file)) {
    if (cli.child.exitCode !== null) throw new Error(`the CLI exited (${cli.child.exitCode}) before ${file} appeared`);
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.concurrent('a signal to a real `probe run` process mid-run', () => {
  it.for([
    { signal: 'SIGINT', code: 130 },
    { signal: 'SIGTERM', code: 143 },
  ] as const)('$signal: teardowns run, the NDJSON is valid to its last line, exit $code', async ({ signal, code }, context) => {
    const out = tempDir(context);
    const ndjson = join(out, 'run.ndjson');
    const junit = join(out, 'junit.xml');
    const cli = startCli(['run', '-c', 'interrupt.config.ts', '--ndjson', ndjson, '--junit', junit], { env: { PROBE_TEST_OUT: out } });
    await appears(join(out, 'waiting'), cli);
    cli.child.kill(signal);
    const result = await cli.done;

    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toContain(`probe: ${signal} received; stopping`);
    // Both probes' teardowns ran, the slow one after its asynchronous work, with the setup's resources.
    expect(readFileSync(join(out, 'teardown'), 'utf8')).toBe('{"opened":true}');
    expect(existsSync(join(out, 'teardown-sleepy'))).toBe(true);
    // Every line parses; the last is a run-end that says why the run stopped.
    const lines = readFileSync(ndjson, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as { type: string; interrupted?: string; exitCode?: number; notRun?: number; result?: { id: string; status: string } });
    expect(events[0]!.type).toBe('run-start');
    expect(events.at(-1)).toMatchObject({ type: 'run-end', interrupted: signal, exitCode: code, notRun: 1 });
    const ended = Object.fromEntries(events.flatMap((event) => (event.result ? [[event.result.id, event.result.status]] : [])));
    expect(ended).toEqual({ 'test.quick.pass': 'pass', 'test.slow.wait': 'error', 'test.sleep.ignores-signal': 'error' });
    // The JUnit report was still written at close.
    expect(readFileSync(junit, 'utf8')).toContain('<testsuites');
    // The run ended promptly after the signal, although one check ignored it and sleeps 30 s.
    expect(result.durationMs).toBeLessThan(4_000);
  });

  it('a second signal exits at once, without waiting for the teardown', async (context) => {
    const out = tempDir(context);
    const cli = startCli(['run', '-c', 'interrupt.config.ts', '--ndjson', join(out, 'run.ndjson')], { env: { PROBE_TEST_OUT: out, PROBE_FIXTURE_TEARDOWN_MS: '20000' } });
    await appears(join(out, 'waiting'), cli);
    cli.child.kill('SIGINT');
    await appears(join(out, 'teardown-started'), cli);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('probe: SIGINT again; exiting now');
    expect(existsSync(join(out, 'teardown'))).toBe(false);
  });
});
