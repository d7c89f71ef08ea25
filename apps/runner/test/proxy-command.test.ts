import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type StartedCli } from './cli-process.ts';
import { tempDir } from './temp-dir.ts';

let echo: Server;
let echoPort: number;
beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoPort = (echo.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** Resolve with the control API URL once the proxy says where it listens (without consuming its stdout). */
function apiUrl(cli: StartedCli): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: string) => {
      out += chunk;
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        cli.child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    cli.child.stdout!.on('data', onData);
    cli.child.once('exit', () => reject(new Error(`the proxy exited before saying where it listens: ${out}`)));
  });
}

/** One round trip through a TCP connection; resolves with the milliseconds it took. */
async function roundTrip(port: number): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const started = performance.now();
  socket.write('ping');
  await once(socket, 'data');
  const ms = performance.now() - started;
  socket.destroy();
  return ms;
}

describe('probe proxy', () => {
  it('serves a Toxiproxy-compatible API whose toxics really slow traffic, and stops cleanly on SIGINT', async () => {
    const cli = startCli(['proxy', '--api', '127.0.0.1:0']);
    const api = await apiUrl(cli);
    const created = await fetch(`${api}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` }) });
    expect(created.status).toBe(201);
    const port = Number(((await created.json()) as { listen: string }).listen.split(':').at(-1));
    expect(await roundTrip(port)).toBeLessThan(100);
    const toxic = await fetch(`${api}/proxies/echo/toxics`, { method: 'POST', body: JSON.stringify({ type: 'latency', stream: 'downstream', attributes: { latency: 200 } }) });
    expect(toxic.status).toBe(200);
    expect(await roundTrip(port)).toBeGreaterThanOrEqual(190);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('fault proxy stopped; every toxic removed');
  });

  it('creates the proxies of a Toxiproxy -config file at start', async (context) => {
    const file = join(tempDir(context), 'proxies.json');
    writeFileSync(file, JSON.stringify([{ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` }]));
    const cli = startCli(['proxy', '--api', '127.0.0.1:0', '--config', file]);
    const api = await apiUrl(cli);
    const proxies = (await (await fetch(`${api}/proxies`)).json()) as Record<string, { upstream: string }>;
    expect(proxies.echo?.upstream).toBe(`127.0.0.1:${echoPort}`);
    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });

  it.each([
    [['--api', 'localhost'], /--api: expected HOST:PORT, got "localhost"/],
    [['--config', 'missing.json'], /--config: cannot read missing\.json/],
  ])('rejects bad input %j with exit 2 and the option named', async (args, message) => {
    const result = await runCli(['proxy', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('says when the API address is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    const result = await runCli(['proxy', '--api', `127.0.0.1:${port}`]);
    taken.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--api: 127.0.0.1:${port} is already in use`);
  });
});
