import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDependency, type FakeDependency } from '../testing/fake-dependency.ts';
import { step } from './steps.ts';

let dependency: FakeDependency | undefined;
afterEach(async () => { await dependency?.close(); dependency = undefined; });

const get = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${dependency!.url}${path}`, init);
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
};
const failure = (path: string) => fetch(`${dependency!.url}${path}`).then((response) => response.text()).then(() => 'answered', (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message);

describe('fault steps on the fake upstream, behind a fault proxy', () => {
  it('fail N times with Retry-After, then succeed for good; every arrival recorded with its attempt', async () => {
    dependency = await startFakeDependency({ routes: { 'POST /charges': step.failTimes(2, step.fail(503, { retryAfter: 1 }), step.ok({ id: 'ch_1' }, { status: 201 })) } });
    const answers = [];
    for (let index = 0; index < 4; index++) answers.push(await get('/charges', { method: 'POST' }));
    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 201, 201]);
    expect(answers[0]!.headers['retry-after']).toBe('1');
    expect(answers[2]!.body).toBe('{"id":"ch_1"}');
    expect(dependency.upstream.requestsTo('POST /charges').map((request) => request.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('reset, close, hang and garbage are seen by the client as a reset, an empty answer, silence and a malformed answer', async () => {
    dependency = await startFakeDependency({ routes: { '/reset': step.reset(), '/close': step.close(), '/hang': step.hang(), '/garbage': step.garbage() } });
    expect(await failure('/reset')).toBe('ECONNRESET');
    expect(await failure('/close')).toMatch(/UND_ERR_SOCKET|other side closed|ECONNRESET/);
    expect(await failure('/garbage')).not.toBe('answered');
    const hung = await Promise.race([failure('/hang'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 200))]);
    expect(hung).toBe('still waiting');
  });

  it('delay and slow body: the answer, or its body, comes late', async () => {
    dependency = await startFakeDependency({ routes: { '/late': step.delay(150), '/dribble': step.slowBody({ body: 'abcdefghij', chunks: 5, intervalMs: 40, contentType: 'text/plain' }) } });
    let started = performance.now();
    expect((await get('/late')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    started = performance.now();
    const response = await fetch(`${dependency.url}/dribble`);
    const headersAfter = performance.now() - started;
    expect(await response.text()).toBe('abcdefghij');
    expect(performance.now() - started - headersAfter).toBeGreaterThanOrEqual(140);
  });

  it('rate limited: the limit per window answered, the rest 429 with Retry-After and RateLimit headers', async () => {
    dependency = await startFakeDependency({ routes: { '/limited': step.rateLimited({ limit: 2, windowMs: 1_000 }) } });
    const answers = [await get('/limited'), await get('/limited'), await get('/limited')];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(answers[1]!.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0' });
    expect(answers[2]!.headers).toMatchObject({ 'ratelimit-remaining': '0', 'retry-after': '1', 'ratelimit-reset': '1' });
  });

  it('flap: up, then down, then up again on a schedule', async () => {
    dependency = await startFakeDependency({ routes: { '/flappy': step.flap({ upMs: 100, downMs: 100 }) } });
    const seen: number[] = [];
    for (const waitMs of [0, 130, 100]) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      seen.push((await get('/flappy')).status);
    }
    expect(seen[0]).toBe(200);
    expect(seen).toContain(503);
  });

  it('TCP faults come from the proxy in front: down refuses the HTTP dependency', async () => {
    dependency = await startFakeDependency({ routes: { '/ok': step.ok() } });
    await dependency.proxy.setEnabled(false);
    expect(await failure('/ok')).toBe('ECONNREFUSED');
    await dependency.proxy.setEnabled(true);
    expect((await get('/ok')).status).toBe(200);
  });
});
