import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedactor } from '@probe/core';
import { startFakeUpstream, type FakeUpstream } from '../testing/index.ts';
import { VERSION } from '../version.ts';
import { createClient, type ClientOptions } from './client.ts';
import { toCurl } from './curl.ts';

let upstream: FakeUpstream | undefined;
afterEach(async () => { await upstream?.close(); upstream = undefined; });

const limits = { requestTimeoutMs: 300, connectTimeoutMs: 300, maxBodyBytes: 64 };
const client = (baseUrl: string, extra: Partial<ClientOptions> = {}) => createClient({ baseUrl, runId: 'run42', ...limits, ...extra });

describe('createClient', () => {
  it('marks every request with User-Agent probe/<version> and X-Probe-Run, and keeps base URL query and path', async () => {
    upstream = await startFakeUpstream({ routes: { 'GET /v1/items': { body: [1] } } });
    const api = client(`${upstream.url}/v1/?api_key=k-123`, { headers: { 'X-Tenant': 't1' } });
    const exchange = await api.send({ path: '/items', query: { page: 2 } }, AbortSignal.timeout(2_000));
    await api.close();
    expect(exchange.response).toMatchObject({ status: 200, json: [1], mediaType: 'application/json', truncated: false });
    const seen = upstream.requests[0]!;
    expect(seen.headers['user-agent']).toBe(`probe/${VERSION}`);
    expect(seen.headers['x-probe-run']).toBe('run42');
    expect(seen.headers['x-tenant']).toBe('t1');
    expect(seen.query).toEqual({ page: '2', api_key: 'k-123' });
  });

  it('cuts bodies at maxBodyBytes and says so', async () => {
    upstream = await startFakeUpstream({ routes: { 'GET /big': { headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1_000) } } });
    const api = client(upstream.url);
    const exchange = await api.send({ path: '/big' }, AbortSignal.timeout(2_000));
    await api.close();
    expect(exchange.response!.body.length).toBe(64);
    expect(exchange.response!.truncated).toBe(true);
    expect(exchange.response!.json).toBeUndefined();
  });

  it('reports a hanging answer as an exchange error after the request timeout, not a hang', async () => {
    upstream = await startFakeUpstream({ routes: { 'GET /hang': () => undefined } });
    const api = client(upstream.url);
    const started = performance.now();
    const exchange = await api.send({ path: '/hang' }, AbortSignal.timeout(2_000));
    await api.close();
    expect(exchange.error).toMatch(/UND_ERR_HEADERS_TIMEOUT/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('throws PROBE_ERR_UNREACHABLE on a closed port, and the abort reason on abort', async () => {
    const port = await closedPort();
    const api = client(`http://127.0.0.1:${port}`);
    await expect(api.send({ path: '/' }, AbortSignal.timeout(2_000))).rejects.toMatchObject({ code: 'PROBE_ERR_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
    upstream = await startFakeUpstream({ routes: { 'GET /slow': { delayMs: 1_000 } } });
    const slow = client(upstream.url, { requestTimeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    await expect(slow.send({ path: '/slow' }, controller.signal)).rejects.toThrow('deadline');
    await Promise.all([api.close(), slow.close()]);
  });
});

describe('toCurl', () => {
  it('gives a one-paste reproduction with secrets masked', () => {
    const redact = createRedactor(['s3cr3t-token']);
    const line = toCurl({
      method: 'POST', url: 'http://127.0.0.1:8080/notes?token=s3cr3t-token', body: `{"title":"it's"}`,
      headers: { 'user-agent': 'probe/0.1.0', authorization: 'Bearer s3cr3t-token', 'x-api-key': 'k', 'content-type': 'application/json', 'x-probe-run': 'r1' },
    }, redact);
    expect(line).toBe(`curl -sS -i -X POST 'http://127.0.0.1:8080/notes?token=***' -H 'authorization: Bearer ***' -H 'x-api-key: ***' -H 'content-type: application/json' -H 'x-probe-run: r1' --data-raw '{"title":"it'\\''s"}'`);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
