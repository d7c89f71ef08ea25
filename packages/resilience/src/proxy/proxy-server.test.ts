import { setTimeout as sleep } from 'node:timers/promises';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@probe/api/testing';
import { createToxiproxyClient, ToxiproxyApiError, statsFromMetrics } from './client.ts';
import { startProxyServer, TOXIPROXY_API_VERSION, type ProxyServer } from './proxy-server.ts';
import { toxic } from './toxics.ts';

let server: ProxyServer;
let upstream: FakeUpstream;
const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.url}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text ? (() => { try { return JSON.parse(text); } catch { return text; } })() : undefined };
};

beforeEach(async () => {
  upstream = await startFakeUpstream({ routes: { '/hello': { body: { hello: 'world' } } } });
  server = await startProxyServer({ api: '127.0.0.1:0' });
});
afterEach(async () => {
  await server.close();
  await upstream.close();
});

describe('the Toxiproxy-compatible HTTP API: routes, status codes and JSON shapes', () => {
  it('creates, lists, shows, updates and deletes proxies as Toxiproxy does', async () => {
    const created = await request('POST', '/proxies', { name: 'api_test', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: 'api_test', listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/), upstream: `127.0.0.1:${upstream.port}`, enabled: true, toxics: [] });
    const listen = created.body.listen as string;
    expect(await (await fetch(`http://${listen}/hello`)).json()).toEqual({ hello: 'world' });
    expect((await request('GET', '/proxies')).body).toEqual({ api_test: created.body });
    expect((await request('GET', '/proxies/api_test')).body).toEqual(created.body);
    expect((await request('POST', '/proxies', { name: 'api_test', upstream: 'x:1' })).body).toEqual({ error: 'proxy already exists', status: 409 });
    expect((await request('PATCH', '/proxies/api_test', { enabled: false })).body).toMatchObject({ enabled: false });
    await expect(fetch(`http://${listen}/hello`)).rejects.toThrow();
    expect((await request('POST', '/proxies/api_test', { enabled: true })).body).toMatchObject({ enabled: true, listen });
    expect((await request('DELETE', '/proxies/api_test')).status).toBe(204);
    expect(await request('GET', '/proxies/api_test')).toMatchObject({ status: 404, body: { error: 'proxy not found', status: 404 } });
  });

  it('adds, shows, updates and removes toxics with Toxiproxy defaults (downstream, toxicity 1, name <type>_<stream>)', async () => {
    await request('POST', '/proxies', { name: 'toxic_test', upstream: `127.0.0.1:${upstream.port}` });
    const added = await request('POST', '/proxies/toxic_test/toxics', { type: 'latency', attributes: { latency: 120 } });
    expect(added).toMatchObject({ status: 200, body: { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 120, jitter: 0 } } });
    expect((await request('GET', '/proxies/toxic_test/toxics')).body).toEqual([added.body]);
    expect((await request('GET', '/proxies/toxic_test/toxics/latency_downstream')).body).toEqual(added.body);
    expect((await request('PATCH', '/proxies/toxic_test/toxics/latency_downstream', { attributes: { jitter: 10 }, toxicity: 0.5 })).body)
      .toMatchObject({ toxicity: 0.5, attributes: { latency: 120, jitter: 10 } });
    expect((await request('POST', '/proxies/toxic_test/toxics', { type: 'latency' })).body).toEqual({ error: 'toxic already exists', status: 409 });
    expect((await request('POST', '/proxies/toxic_test/toxics', { type: 'nope' })).body).toEqual({ error: 'invalid toxic type', status: 400 });
    expect((await request('POST', '/proxies/toxic_test/toxics', { type: 'latency', name: 'x', stream: 'sideways' })).body)
      .toEqual({ error: 'stream was invalid, can be either upstream or downstream', status: 400 });
    expect((await request('POST', '/proxies/toxic_test/toxics', 'not json')).status).toBe(400);
    expect((await request('DELETE', '/proxies/toxic_test/toxics/latency_downstream')).status).toBe(204);
    expect((await request('DELETE', '/proxies/toxic_test/toxics/latency_downstream')).body).toEqual({ error: 'toxic not found', status: 404 });
  });

  it('populates (create or replace, validated first), resets, reports its version and metrics, and refuses browsers', async () => {
    const upstreamAddress = `127.0.0.1:${upstream.port}`;
    const populated = await request('POST', '/populate', [{ name: 'one', upstream: upstreamAddress }, { name: 'two', upstream: upstreamAddress, enabled: false }]);
    expect(populated.status).toBe(201);
    expect(populated.body.proxies.map((proxy: { name: string; enabled: boolean }) => [proxy.name, proxy.enabled])).toEqual([['one', true], ['two', false]]);
    const again = await request('POST', '/populate', [{ name: 'one', upstream: upstreamAddress }]);
    expect(again.body.proxies[0].listen).toBe(populated.body.proxies[0].listen);   // unchanged: kept as is
    expect((await request('POST', '/populate', [{ name: 'three', upstream: upstreamAddress }, { upstream: upstreamAddress }])).body)
      .toEqual({ error: 'missing required field: name at proxy 2', status: 400, proxies: [] });
    expect((await request('GET', '/proxies')).body).not.toHaveProperty('three');
    await request('POST', '/proxies/one/toxics', { type: 'timeout', attributes: { timeout: 0 } });
    expect((await request('POST', '/reset')).status).toBe(204);
    expect((await request('GET', '/proxies')).body).toMatchObject({ one: { toxics: [], enabled: true }, two: { enabled: true } });
    expect(await request('GET', '/version')).toMatchObject({ status: 200, type: 'application/json;charset=utf-8', body: { version: TOXIPROXY_API_VERSION } });
    await fetch(`http://${populated.body.proxies[0].listen}/hello`);
    const metrics = (await request('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/toxiproxy_proxy_received_bytes_total\{direction="upstream",listener="[^"]+",proxy="one",upstream="[^"]+"\} [1-9]/);
    expect(statsFromMetrics(metrics, 'one')?.downstream.sent).toBeGreaterThan(0);
    expect(await request('GET', '/proxies', undefined, { 'user-agent': 'Mozilla/5.0' })).toMatchObject({ status: 403 });
    expect((await request('PUT', '/proxies')).status).toBe(405);
    expect((await request('GET', '/nothing/here')).status).toBe(404);
  });
});

describe('existing Toxiproxy clients drive it', () => {
  it('toxiproxy-node-client (what @testcontainers/toxiproxy builds on): create, add a toxic, see it act, remove it, disable', async () => {
    const toxiproxy = new Toxiproxy(server.url);
    expect(await toxiproxy.getVersion()).toContain(TOXIPROXY_API_VERSION);
    const proxy = await toxiproxy.createProxy({ name: 'node_client', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    const latency = await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 200, jitter: 0 } });
    let started = performance.now();
    await (await fetch(`http://${proxy.listen}/hello`)).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await latency.remove();
    started = performance.now();
    await (await fetch(`http://${proxy.listen}/hello`)).text();
    expect(performance.now() - started).toBeLessThan(150);
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    expect(Object.keys(await toxiproxy.getAll())).toEqual(['node_client']);
    await toxiproxy.reset();
    expect((await toxiproxy.get('node_client')).enabled).toBe(true);
  });

  it("this package's client: typed calls, handles, stats, errors with Toxiproxy's status, timeouts, unreachable servers", async () => {
    const client = createToxiproxyClient({ url: server.url });
    await client.populate([{ name: 'mine', upstream: `127.0.0.1:${upstream.port}` }]);
    const handle = client.handle('mine');
    const state = await handle.state();
    await handle.addToxic(toxic.limitData(10, { name: 'tiny' }));
    expect((await client.proxy('mine')).toxics.map((item) => item.name)).toEqual(['tiny']);
    await expect(fetch(`http://${state.listen}/hello`)).rejects.toThrow();
    await handle.updateToxic('tiny', { attributes: { bytes: 100_000 } });
    expect((await fetch(`http://${state.listen}/hello`)).status).toBe(200);
    const stats = await handle.stats();
    expect(stats?.connections?.total).toBe(2);
    await handle.setEnabled(false);
    await handle.reset();
    expect(await handle.state()).toMatchObject({ enabled: true, toxics: [] });
    await expect(client.addToxic('missing', toxic.latency(1))).rejects.toMatchObject({ status: 404, message: expect.stringContaining('proxy not found') });
    await expect(client.addToxic('mine', toxic.latency(1))).resolves.toMatchObject({ name: 'latency_downstream' });
    await expect(client.removeToxic('mine', 'nope')).rejects.toBeInstanceOf(ToxiproxyApiError);
    await client.deleteProxy('mine');
    expect(await client.proxies()).toEqual({});

    const closed = createToxiproxyClient({ url: 'http://127.0.0.1:1', timeoutMs: 500 });
    await expect(closed.version()).rejects.toMatchObject({ code: 'PROBE_ERR_UNREACHABLE' });
    const slow = await startFakeUpstream({ routes: { '/version': { delayMs: 2_000, body: { version: 'x' } } } });
    try {
      const hung = createToxiproxyClient({ url: slow.url, timeoutMs: 100 });
      const started = performance.now();
      await expect(hung.version()).rejects.toMatchObject({ code: 'PROBE_ERR_TIMEOUT' });
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await slow.close();
    }
  });

  it('falls back to POST for updates on servers older than 2.6 (PATCH → 405)', async () => {
    const old = await startFakeUpstream({
      routes: {
        'PATCH /proxies/:name': { status: 405 },
        'POST /proxies/:name': ({ request: seen }) => ({ body: { name: seen.params.name, listen: '127.0.0.1:1', upstream: 'x:1', enabled: (seen.json as { enabled: boolean }).enabled, toxics: [] } }),
        'GET /version': { body: '2.1.4', headers: { 'content-type': 'text/plain' } },
      },
    });
    try {
      const client = createToxiproxyClient(old.url);
      expect(await client.version()).toBe('2.1.4');
      expect(await client.updateProxy('legacy', { enabled: false })).toMatchObject({ enabled: false });
      expect(old.requests.map((seen) => seen.method)).toEqual(['GET', 'PATCH', 'POST']);
      expect(await client.stats('legacy')).toBeUndefined();
    } finally {
      await old.close();
    }
  });

  it('takes its proxies from a config at start, and a fault applied over the API shows in the timeline', async () => {
    const configured = await startProxyServer({ api: '127.0.0.1:0', proxies: [{ name: 'boot', upstream: `127.0.0.1:${upstream.port}` }] });
    try {
      const client = createToxiproxyClient(configured.url);
      await client.addToxic('boot', toxic.latency(5, { name: 'brief' }));
      await sleep(5);
      await client.removeToxic('boot', 'brief');
      const stats = await (await fetch(`${configured.url}/proxies/boot/stats`)).json() as { faults: { name: string; to?: number }[] };
      expect(stats.faults).toEqual([{ name: 'brief', fault: 'latency 5 ms downstream', from: expect.any(Number), to: expect.any(Number) }]);
    } finally {
      await configured.close();
    }
  });
});
