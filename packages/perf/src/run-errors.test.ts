/** Errors are counted exactly and by kind; bad input fails fast with a clear message. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runHttpLoad, runLoad } from './run.ts';
import { startLoadTarget, type LoadTarget } from './testing/index.ts';

let target: LoadTarget | undefined;
let server: Server | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('errors', () => {
  it.each(['fast', 'undici'] as const)('an error on every 10th request gives exactly a 10 %% error rate (%s)', async (engine) => {
    target = await startLoadTarget({ errorEvery: 10, errorStatus: 503 });
    const result = await runHttpLoad({ url: target.url, engine, connections: 4, requests: 500, warmup: 0, progress: 'off' });
    expect(result.completed).toBe(500);
    expect(result.errors).toBe(50);
    expect(result.errorRate).toBe(0.1);
    expect(result.errorKinds).toEqual({ 'status 503': 50 });
    expect(result.statuses).toEqual({ 200: 450, 503: 50 });
  });

  it('expectStatus and response checks decide what counts as an error', async () => {
    target = await startLoadTarget({ errorEvery: 4, errorStatus: 404, body: 'hello' });
    const result = await runHttpLoad({
      url: target.url, connections: 2, requests: 200, warmup: 0, progress: 'off',
      expectStatus: [200, 404],
      check: ({ status, body, headers }) => status === 404 || (body.toString() === 'hello' && headers['content-type'] === 'text/plain'),
    });
    expect(result.errors).toBe(0);
    const failing = await runHttpLoad({ url: target.url, connections: 2, requests: 100, warmup: 0, progress: 'off', check: () => false, expectStatus: () => true });
    expect(failing.errorKinds).toEqual({ check: 100 });
  });

  it('load(fn): errors by kind from what the function throws, and a check on its value', async () => {
    const result = await runLoad(({ iteration }) => {
      if (iteration % 5 === 1) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      if (iteration % 5 === 2) return Promise.reject(new TypeError('bad'));
      return iteration % 5 === 3 ? 'wrong' : 'right';
    }, { connections: 2, requests: 100, warmup: 0, progress: 'off', check: (value) => value !== 'wrong' });
    expect(result.errorKinds).toEqual({ ECONNREFUSED: 20, TypeError: 20, check: 20 });
    expect(result.errorRate).toBe(0.6);
    expect(result.failed).toBe(40);
  });

  it('Connection: close mid-pipeline: what was not answered goes again, nothing is lost or counted twice', async () => {
    let count = 0;
    const url = await listen((_request, response) => {
      count += 1;
      if (count % 5 === 0) response.setHeader('connection', 'close');
      response.end('ok');
    });
    const result = await runHttpLoad({ url, connections: 2, pipelining: 4, requests: 200, warmup: 0, progress: 'off' });
    expect(result.completed).toBe(200);
    expect(result.errors).toBe(0);
  });

  it('a server that resets connections: errors by kind, then the load goes on', async () => {
    let count = 0;
    const url = await listen((request, response) => {
      count += 1;
      if (count > 1 && count % 10 === 0) request.socket.destroy();
      else response.end('ok');
    });
    const result = await runHttpLoad({ url, connections: 2, requests: 200, warmup: 0, progress: 'off' });
    expect(result.completed + result.failed).toBe(200);
    expect(result.failed).toBeGreaterThan(0);
    expect(Object.keys(result.errorKinds).every((kind) => /ECONNRESET|connection closed|EPIPE/.test(kind))).toBe(true);
  });
});

describe('requests per iteration', () => {
  it.each(['fast', 'undici'] as const)('a list and a function: methods, paths, headers, bodies; HEAD answers carry no body (%s)', async (engine) => {
    const seen: string[] = [];
    const url = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers['x-n'] ?? ''} ${body}`);
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': 5 });
        response.end(request.method === 'HEAD' ? undefined : 'hello');
      });
    });
    const list = await runHttpLoad({
      url, engine, connections: 2, pipelining: 2, requests: 60, warmup: 0, progress: 'off',
      generate: [{ method: 'HEAD', path: '/h' }, { path: '/g', headers: { 'x-n': '1' } }, { method: 'POST', path: '/p', body: { a: 1 } }],
    });
    expect(list.completed).toBe(60);
    expect(list.errors).toBe(0);
    expect(new Set(seen.slice(1))).toEqual(new Set(['HEAD /h  ', 'GET /g 1 ', 'POST /p  {"a":1}']));
    seen.length = 0;
    const generated = await runHttpLoad({ url, engine, connections: 1, requests: 5, warmup: 0, progress: 'off', generate: (i) => ({ path: `/items/${i}` }) });
    expect(generated.completed).toBe(5);
    expect(seen.slice(1)).toEqual(['GET /items/0  ', 'GET /items/1  ', 'GET /items/2  ', 'GET /items/3  ', 'GET /items/4  ']);
  });
});

describe('bad input', () => {
  it('rate 0 or negative, and other invalid options: PROBE_ERR_CONFIG naming the field', async () => {
    await expect(runHttpLoad({ url: 'http://127.0.0.1:9/', rate: 0 })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/rate: expected a rate above 0/) });
    await expect(runHttpLoad({ url: 'http://127.0.0.1:9/', rate: -5 })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/rate/) });
    await expect(runLoad(() => {}, { connections: 0 })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/connections/) });
    await expect(runLoad(() => {}, { duration: '10 parsecs' })).rejects.toMatchObject({ message: expect.stringMatching(/duration: expected a duration/) });
    await expect(runLoad(() => {}, { model: 'open' })).rejects.toMatchObject({ message: expect.stringMatching(/open model needs a rate/) });
    await expect(runLoad('nope' as never)).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG' });
  });

  it('unknown URL scheme: PROBE_ERR_CONFIG', async () => {
    await expect(runHttpLoad({ url: 'ftp://127.0.0.1/file' })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/url: expected an http:\/\/ or https:\/\/ URL/) });
    await expect(runHttpLoad({ url: 'https://127.0.0.1/', engine: 'fast' })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/engine/) });
  });

  it.each(['fast', 'undici'] as const)('unreachable target: PROBE_ERR_UNREACHABLE at once, not after the duration (%s)', async (engine) => {
    const url = await listen(() => {});
    const port = (server!.address() as AddressInfo).port;
    server!.close();
    server = undefined;
    const started = performance.now();
    await expect(runHttpLoad({ url, engine, duration: '30s' })).rejects.toMatchObject({
      code: 'PROBE_ERR_UNREACHABLE', message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`)),
    });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a target that does not speak HTTP: PROBE_ERR_UNREACHABLE saying so', async () => {
    const { createServer: createTcp } = await import('node:net');
    const tcp = createTcp((socket) => socket.on('error', () => {}).end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      await expect(runHttpLoad({ url: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}/`, duration: '30s' }))
        .rejects.toMatchObject({ code: 'PROBE_ERR_UNREACHABLE', message: expect.stringMatching(/not HTTP\/1\.1/) });
    } finally {
      tcp.close();
    }
  });

  it('load(fn) whose first call fails: the run fails at once with that error', async () => {
    const started = performance.now();
    await expect(runLoad(() => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }); }, { duration: '30s', name: 'orders-db' }))
      .rejects.toMatchObject({ code: 'PROBE_ERR_UNREACHABLE', message: expect.stringMatching(/orders-db.*ECONNREFUSED/) });
    await expect(runLoad(() => { throw new Error('syntax error at "SELEC"'); }, { duration: '30s' }))
      .rejects.toMatchObject({ code: 'PROBE_ERR_CHECK', message: expect.stringMatching(/first call failed: syntax error/) });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
