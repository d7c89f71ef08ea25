import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { createRedisNamespace, startRedisServer, type RedisNamespace, type RedisServer } from '../testing/index.ts';

const ID = 'cache.strategy.ttl-coverage';

describe.skipIf(!sharedUrl)('cache.strategy.ttl-coverage under an application prefix', () => {
  let cache: RedisNamespace;
  beforeEach(async () => {
    cache = await createRedisNamespace({ url: sharedUrl! });
    for (let index = 0; index < 20; index++) await cache.client.set(`user:${index}`, 'v', 'EX', 60);
  });
  afterEach(() => cache.cleanup());

  it('passes when every sampled cache key has a TTL', async () => {
    const result = await runCheck({ url: sharedUrl!, keyPrefix: cache.prefix }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe(`20 sampled keys under ${cache.prefix}*: all carry a TTL`);
  });

  it('fails when cache keys have no TTL, listing them', async () => {
    await cache.client.set('user:forever', 'v');
    await cache.client.set('user:forever2', 'v');
    const result = await runCheck({ url: sharedUrl!, keyPrefix: cache.prefix }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(new RegExp(`^2 of 22 sampled keys under ${cache.prefix}\\* have no TTL \\(9.1%\\): `));
    expect((result.evidence.examples as string[]).sort()).toEqual([cache.key('user:forever'), cache.key('user:forever2')]);
    expect(result.evidence.repro).toMatch(/--scan --pattern 'test:\w+:\*' \| head -1000 \| while read -r k; do/);
  });

  it('is skipped for a store, and when the prefix matches nothing', async () => {
    expect((await runCheck({ url: sharedUrl!, keyPrefix: cache.prefix, use: 'store' }, ID)).status).toBe('skip');
    const empty = await runCheck({ url: sharedUrl!, keyPrefix: `${cache.prefix}nothing:` }, ID);
    expect(empty.status).toBe('skip');
    expect(empty.reason).toBe(`nothing to judge: no keys under ${cache.prefix}nothing:*`);
  });
});

describe('cache.strategy.ttl-coverage without keyPrefix', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
    const client = new Redis(server.url);
    await client.mset({ 'config:flag': '1', 'session:a': '1' });
    await client.expire('session:a', 60);
    client.disconnect();
  });
  afterAll(() => server.stop());

  it('samples the whole keyspace and only warns (it cannot tell cache keys from persistent ones)', async () => {
    const result = await runCheck({ url: server.url }, ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toBe('1 of 2 sampled keys (whole keyspace; set keyPrefix to judge cache keys only) have no TTL (50%): config:flag');
    expect(result.evidence.keyspace).toEqual([{ db: 0, keys: 2, expires: 1, avgTtlMs: expect.any(Number) }]);
  });
});
