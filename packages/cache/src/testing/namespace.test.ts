import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { sharedUrl } from '../../test/support/run.ts';
import { createRedisNamespace } from './namespace.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';

describe.skipIf(!sharedUrl)('createRedisNamespace with a prefix', () => {
  it('prefixes every key of its client, lists them, and removes them all on cleanup', async () => {
    const first = await createRedisNamespace({ url: sharedUrl! });
    const second = await createRedisNamespace({ url: sharedUrl! });
    expect(first.prefix).toMatch(/^test:[0-9a-f]{12}:$/);
    expect(first.prefix).not.toBe(second.prefix);
    await first.client.set('user:1', 'a');
    await first.client.hset('cart:1', { sku: '1' });
    await second.client.set('user:1', 'b');
    expect((await first.keys()).sort()).toEqual([first.key('cart:1'), first.key('user:1')]);
    expect(await first.cleanup()).toBe(2);
    expect(await first.cleanup()).toBe(2);   // idempotent
    const raw = new Redis(sharedUrl!);
    expect(await raw.exists(first.key('user:1'), first.key('cart:1'))).toBe(0);
    expect(await raw.get(second.key('user:1'))).toBe('b');   // the other test's namespace is untouched
    raw.disconnect();
    await second.cleanup();
  });
});

describe('createRedisNamespace with a db of its own', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());

  it('owns the whole db (no prefix), refuses a db that is not empty, and empties it without FLUSHDB', async () => {
    const namespace = await createRedisNamespace({ url: server.url, db: 3 });
    expect(namespace.prefix).toBe('');
    expect(namespace.url).toBe(`${server.url}/3`);
    await namespace.client.mset({ a: '1', b: '2' });
    await expect(createRedisNamespace({ url: server.url, db: 3 })).rejects.toThrow('createRedisNamespace: db 3 holds 2 keys; a db namespace needs an empty db of its own (or use a prefix)');
    expect(await namespace.cleanup()).toBe(2);
    const raw = new Redis(`${server.url}/3`);
    expect(await raw.dbsize()).toBe(0);
    raw.disconnect();
  });

  it('says where to get a URL when none is given', async () => {
    const saved = { probe: process.env.PROBE_REDIS_URL, redis: process.env.REDIS_URL };
    delete process.env.PROBE_REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      await expect(createRedisNamespace()).rejects.toThrow(/no Redis URL; pass `url`, or set PROBE_REDIS_URL or REDIS_URL/);
    } finally {
      if (saved.probe !== undefined) process.env.PROBE_REDIS_URL = saved.probe;
      if (saved.redis !== undefined) process.env.REDIS_URL = saved.redis;
    }
  });
});
