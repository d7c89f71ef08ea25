import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { serviceUrl } from './env.ts';
import { sleep } from './wait.ts';

const url = serviceUrl('redis');

describe.skipIf(!url)('Redis smoke', () => {
  it('SETs with PX expiry, GETs it back, and sees it expire', async () => {
    const redis = new Redis(url!, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    const key = `probe:services:test:${process.pid}:${Date.now()}`;
    try {
      expect(await redis.set(key, 'v1', 'PX', 200)).toBe('OK');
      expect(await redis.get(key)).toBe('v1');
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(200);
      await sleep(300);
      expect(await redis.get(key)).toBeNull();
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });
});
