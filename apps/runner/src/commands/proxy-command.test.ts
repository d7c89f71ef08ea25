import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeIo } from '../fake-io.test-helper.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'probe-proxy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(condition: () => boolean, withinMs = 3_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('probe proxy (in process)', () => {
  it('starts the API with the configured proxies, answers Toxiproxy routes, and stops on a signal', async () => {
    writeFileSync(join(dir, 'proxies.json'), JSON.stringify([{ name: 'pg', listen: '127.0.0.1:0', upstream: '127.0.0.1:5432' }]));
    const io = fakeIo(dir);
    const exit = main(['proxy', '--api', '127.0.0.1:0', '--config', 'proxies.json'], io);
    await until(() => /on http:\/\/127\.0\.0\.1:\d+/.test(io.out()));
    const api = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())![1]!;
    expect(await (await fetch(`${api}/version`)).text()).toContain('2.');
    expect(Object.keys((await (await fetch(`${api}/proxies`)).json()) as object)).toEqual(['pg']);
    io.interrupt('SIGINT');
    expect(await exit).toBe(0);
    expect(io.handlers()).toBe(0);
    expect(io.out()).toContain('every toxic removed');
  });

  it.each([
    [['--api', ':8474'], '--api: expected HOST:PORT, got ":8474"'],
    [['--config', 'nope.json'], '--config: cannot read nope.json'],
  ])('names the bad option %j (exit 2)', async (args, message) => {
    const io = fakeIo(dir);
    expect(await main(['proxy', ...args], io)).toBe(2);
    expect(io.err()).toContain(message);
  });

  it('refuses a config that is not a list of proxies', async () => {
    writeFileSync(join(dir, 'object.json'), '{"name":"pg"}');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ name: 'x', listen: 'nowhere', upstream: '127.0.0.1:1' }]));
    const io = fakeIo(dir);
    expect(await main(['proxy', '--config', 'object.json'], io)).toBe(2);
    expect(io.err()).toContain('--config: expected a JSON array of { name, listen, upstream }, got object');
    const bad = fakeIo(dir);
    expect(await main(['proxy', '--api', '127.0.0.1:0', '--config', 'bad.json'], bad)).toBe(2);
    expect(bad.err()).toMatch(/probe proxy: --config: /);
  });
});
