import { describe, expect, it } from 'vitest';
import { sharedUrl } from '../../test/support/run.ts';
import { freePort } from './redis-server.ts';
import { startRedis } from './start-redis.ts';

describe('startRedis', () => {
  it.skipIf(!sharedUrl)('uses the given URL after a PING, and starts nothing', async () => {
    const redis = await startRedis({ url: sharedUrl! });
    expect(redis).toMatchObject({ url: sharedUrl, source: 'url' });
    await redis.stop();
  });

  it('fails clearly when the given URL does not answer', async () => {
    const port = await freePort();
    await expect(startRedis({ url: `redis://127.0.0.1:${port}` })).rejects.toMatchObject({ code: 'PROBE_ERR_UNREACHABLE', message: expect.stringContaining(`cannot reach Redis at 127.0.0.1:${port}`) });
  });

  it('without a URL and without a Docker engine, fails at once and says what to do', async () => {
    const saved = { probe: process.env.PROBE_REDIS_URL, redis: process.env.REDIS_URL };
    delete process.env.PROBE_REDIS_URL;
    delete process.env.REDIS_URL;
    const started = performance.now();
    try {
      const outcome = await startRedis().then(async (redis) => { await redis.stop(); return 'started'; }, (error: Error) => error.message);
      // This machine has no Docker engine; where one exists the container starts instead.
      if (outcome !== 'started') {
        expect(outcome).toMatch(/^startRedis: no Redis URL \(set PROBE_REDIS_URL or REDIS_URL\) and no Docker engine for testcontainers \(.*\); give a URL, or use startRedisServer\(\) with redis-server on PATH$/);
        expect(performance.now() - started).toBeLessThan(3_000);
      }
    } finally {
      if (saved.probe !== undefined) process.env.PROBE_REDIS_URL = saved.probe;
      if (saved.redis !== undefined) process.env.REDIS_URL = saved.redis;
    }
  });
});
