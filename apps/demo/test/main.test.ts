import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { namesOf, namespaced } from '../src/options.ts';
import { haveServices, newNamespace, removeNamespace } from './fixture.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe.skipIf(!haveServices)('node src/main.ts', () => {
  const namespace = newNamespace();
  afterAll(() => removeNamespace(namesOf(namespaced(namespace))));

  it('starts on a free port, prints its DEMO_* lines when ready, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--conditions=@probe/source', '--disable-warning=TimeoutNegativeWarning', MAIN, '--defects'], {
      env: { ...process.env, DEMO_NAMESPACE: namespace }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const ready = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('DEMO_DEFECTS=')) resolve();
    }));
    await Promise.race([ready, once(child, 'exit').then(() => { throw new Error(`exited early: ${stderr}`); })]);
    const lines = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(lines).toMatchObject({
      DEMO_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), DEMO_DATABASE_URL: expect.stringMatching(new RegExp(`/probe_demo_${namespace}$`)),
      DEMO_NAMESPACE: namespace, DEMO_DEFECTS: '1',
    });
    expect(stderr).toMatch(/^demo: order service on http:\/\/127\.0\.0\.1:\d+ in \d+ ms with defects: missingForeignKeyIndex, staleProductCache/m);
    expect((await fetch(`${lines.DEMO_URL}/health`)).status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('says which variable is missing instead of starting half-configured', async () => {
    const child = spawn(process.execPath, ['--conditions=@probe/source', MAIN], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const [code] = await once(child, 'exit');
    expect([code, stderr.trim()]).toEqual([2, "demo: PROBE_PG_URL is not set; bring the services up with 'pnpm services:up' and export what it prints"]);
  });
});
