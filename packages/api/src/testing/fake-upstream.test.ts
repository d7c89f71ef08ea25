import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type Step } from './index.ts';

let upstream: FakeUpstream | undefined;
afterEach(async () => { await upstream?.close(); upstream = undefined; });

describe('startFakeUpstream', () => {
  it('plays a script one step per attempt, the last one repeating, and records every request', async () => {
    upstream = await startFakeUpstream({ routes: { 'POST /charges/:id': [{ status: 503 }, { status: 503 }, { status: 201, body: { ok: true } }] } });
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      statuses.push((await fetch(`${upstream.url}/charges/c1?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":5}' })).status);
    }
    expect(statuses).toEqual([503, 503, 201, 201]);
    const recorded = upstream.requestsTo('POST /charges/:id');
    expect(recorded.map((request) => request.attempt)).toEqual([1, 2, 3, 4]);
    expect(recorded[0]).toMatchObject({ method: 'POST', path: '/charges/c1', query: { x: '1' }, params: { id: 'c1' }, json: { amount: 5 }, route: 'POST /charges/:id' });
    expect(recorded[1]!.at).toBeGreaterThanOrEqual(recorded[0]!.at);
  });

  it('answers unmatched requests with 404 and lists them', async () => {
    upstream = await startFakeUpstream({ routes: { '/health': { body: 'ok' } } });
    expect((await fetch(`${upstream.url}/health`, { method: 'DELETE' })).status).toBe(200);
    const missing = await fetch(`${upstream.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route', method: 'GET', path: '/nope', routes: ['* /health'] });
    expect(upstream.unmatched.map((request) => request.path)).toEqual(['/nope']);
  });

  it('lets a step answer (or not answer) by itself: a reset and a hang, closed with the upstream', async () => {
    const reset: Step = ({ raw }) => { raw.req.socket.destroy(); return undefined; };
    const hang: Step = () => undefined;
    upstream = await startFakeUpstream({ routes: { 'GET /reset': reset, 'GET /hang': hang } });
    await expect(fetch(`${upstream.url}/reset`)).rejects.toThrow();
    const pending = fetch(`${upstream.url}/hang`).catch((error: Error) => error);
    await upstream.waitFor('GET /hang');
    await upstream.close();
    expect(await pending).toBeInstanceOf(Error);
    upstream = undefined;
  });

  it('waits for requests within a window, and resets records and attempts', async () => {
    upstream = await startFakeUpstream({ routes: { 'POST /hook': [{ status: 500 }, { status: 204 }] } });
    setTimeout(() => void fetch(`${upstream!.url}/hook`, { method: 'POST' }), 30);
    setTimeout(() => void fetch(`${upstream!.url}/hook`, { method: 'POST' }), 60);
    const seen = await upstream.waitFor('POST /hook', { count: 2, timeoutMs: 2_000 });
    expect(seen.map((request) => request.attempt)).toEqual([1, 2]);
    expect(await upstream.waitFor('POST /hook', { count: 3, timeoutMs: 50 })).toHaveLength(2);
    upstream.reset();
    expect(upstream.requests).toEqual([]);
    expect((await fetch(`${upstream.url}/hook`, { method: 'POST' })).status).toBe(500);
  });

  it('delays replies and replaces routes', async () => {
    upstream = await startFakeUpstream();
    upstream.route('GET /slow', { delayMs: 120, body: 'late' }).route('GET /slow', { delayMs: 120, body: 'later' });
    const started = performance.now();
    expect(await (await fetch(`${upstream.url}/slow`)).text()).toBe('later');
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });
});
