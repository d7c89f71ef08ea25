import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { createRedisNamespace, type RedisNamespace } from '../testing/index.ts';

const ID = 'cache.ops.invalidation';

describe.skipIf(!sharedUrl)('cache.ops.invalidation', () => {
  let cache: RedisNamespace;
  let app: Server;
  let base: string;
  const calls: string[] = [];

  beforeAll(async () => {
    // A tiny app: POST /users/:id/update deletes the cache entry (after 30 ms); /broken forgets to; /fail answers 500.
    app = createServer((request, response) => {
      calls.push(`${request.method} ${request.url}`);
      const match = /^\/users\/(\w+)\/(update|broken|fail)$/.exec(request.url ?? '');
      if (!match) return void response.writeHead(404).end();
      if (match[2] === 'fail') return void response.writeHead(500).end('database down');
      if (match[2] === 'broken') return void response.writeHead(204).end();
      setTimeout(() => void cache.client.del(`user:${match[1]}`).then(() => response.writeHead(204).end()), 30);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));
  beforeEach(async () => {
    cache = await createRedisNamespace({ url: sharedUrl! });
    calls.length = 0;
  });
  afterEach(() => cache.cleanup());

  it('is skipped when no invalidation is configured', async () => {
    const result = await runCheck({ url: sharedUrl! }, ID);
    expect(result.status).toBe('skip');
    expect(result.reason).toMatch(/^not configured: set `invalidation`/);
  });

  it('passes when the HTTP action deletes the key within the window, and reports how long it took', async () => {
    await cache.client.set('user:1', '{"name":"Ada"}');
    const result = await runCheck({ url: sharedUrl!, invalidation: { key: cache.key('user:1'), action: { url: `${base}/users/1/update` }, windowMs: 1_000 } }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^1 of 1 invalidations took effect \(slowest \d+(\.\d+)? ms\)$/);
    expect(calls).toEqual(['POST /users/1/update']);
    const [scenario] = result.evidence.scenarios as { invalidatedAfterMs: number; action: string }[];
    expect(scenario!.invalidatedAfterMs).toBeGreaterThanOrEqual(30);
    expect(scenario!.action).toBe(`POST ${base}/users/1/update → 204`);
  });

  it('fails when the action leaves the key in place, with a curl and redis-cli repro', async () => {
    await cache.client.set('user:2', 'stale');
    const result = await runCheck({ url: sharedUrl!, invalidation: { key: cache.key('user:2'), action: { url: `${base}/users/2/broken` }, windowMs: 200 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(`1 of 1 invalidations failed: ${cache.key('user:2')} was not deleted within 200 ms of the action (1 of 1 keys unchanged: ${cache.key('user:2')})`);
    const [scenario] = result.evidence.scenarios as { repro: string }[];
    expect(scenario!.repro).toBe(`curl -sS -X POST '${base}/users/2/broken' && redis-cli -u ${sharedUrl!.replace(/\/$/, '')} EXISTS ${cache.key('user:2')}`);
  });

  it('fails when the action itself fails', async () => {
    await cache.client.set('user:3', 'v');
    const result = await runCheck({ url: sharedUrl!, invalidation: { key: cache.key('user:3'), action: { url: `${base}/users/3/fail` }, windowMs: 200 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(`1 of 1 invalidations failed: ${cache.key('user:3')} the action failed: POST ${base}/users/3/fail → 500: database down`);
  });

  it('expect "updated": a function action must change the value; leaving it as is fails', async () => {
    await cache.client.set('price:1', '10');
    const refresh = { key: cache.key('price:1'), expect: 'updated' as const, windowMs: 200 };
    const updated = await runCheck({ url: sharedUrl!, invalidation: { ...refresh, action: () => cache.client.set('price:1', '12') } }, ID);
    expect(updated.status).toBe('pass');
    const unchanged = await runCheck({ url: sharedUrl!, invalidation: { ...refresh, action: () => cache.client.set('price:1', '12') } }, ID);
    expect(unchanged.status).toBe('fail');
    expect(unchanged.summary).toMatch(/was not updated within 200 ms/);
  });

  it('a pattern must lose every key it matched; prime caches the key first', async () => {
    const pattern = `${cache.prefix}session:7:*`;
    const prime = async () => { await cache.client.set('session:7:a', '1'); await cache.client.set('session:7:b', '2'); };
    const logout = async () => { await cache.client.del('session:7:a', 'session:7:b'); };
    const partial = async () => { await cache.client.del('session:7:a'); };
    const passed = await runCheck({ url: sharedUrl!, invalidation: { pattern, prime, action: logout, windowMs: 200 } }, ID);
    expect(passed.status).toBe('pass');
    expect((passed.evidence.scenarios as { keys: number }[])[0]!.keys).toBe(2);
    const failed = await runCheck({ url: sharedUrl!, invalidation: { pattern, prime, action: partial, windowMs: 200 } }, ID);
    expect(failed.status).toBe('fail');
    expect(failed.summary).toMatch(/\(1 of 2 keys unchanged: .*session:7:b\)$/);
  });

  it('is skipped (and performs no action) when the key is not cached before the action', async () => {
    const result = await runCheck({ url: sharedUrl!, invalidation: { key: cache.key('user:404'), action: { url: `${base}/users/404/update` } } }, ID);
    expect(result.status).toBe('skip');
    expect(result.reason).toBe(`precondition not met: ${cache.key('user:404')} was not cached before the action; add a \`prime\` action that caches it`);
    expect(calls).toEqual([]);
  });
});
