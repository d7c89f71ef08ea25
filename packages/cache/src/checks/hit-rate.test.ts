import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { runCheck } from '../../test/support/run.ts';
import { startRedisServer, type RedisServer } from '../testing/index.ts';

const ID = 'cache.strategy.hit-rate';

/** Application traffic: GETs that hit with the given probability, until stopped. */
function traffic(url: string, hitRatio: number): { stop(): Promise<void> } {
  const client = new Redis(url);
  let running = true;
  let count = 0;
  const loop = (async () => {
    await client.set('app:warm', 'v');
    while (running) {
      count += 1;
      await client.get(count % 100 < hitRatio * 100 ? 'app:warm' : `app:cold:${count}`);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.del('app:warm');
      client.disconnect();
    },
  };
}

describe('cache.strategy.hit-rate', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());

  const measure = async (hitRatio: number | undefined) => {
    const app = hitRatio === undefined ? undefined : traffic(server.url, hitRatio);
    try {
      return await runCheck({ url: server.url, sample: { windowMs: 300 } }, ID);
    } finally {
      await app?.stop();
    }
  };

  it('passes when the hit rate over the window is high', async () => {
    const result = await measure(0.95);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^hit rate 9[4-6](\.\d)?% \(\d+ hits, \d+ misses in 3\d\d ms\)$/);
    expect(result.metrics[0]).toMatchObject({ name: 'cache.hit_ratio', unit: 'ratio' });
  });

  it('warns below hitRateWarn', async () => {
    const result = await measure(0.7);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^hit rate (69|7\d)(\.\d)?% .* is below 80%$/);
  });

  it('fails below hitRateFail, on the window and not on counters since start', async () => {
    // Before: a long history of hits that a since-start ratio would still count.
    const history = traffic(server.url, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await history.stop();
    const result = await measure(0.1);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^hit rate ([89]|1\d)(\.\d)?% .* is below 50%$/);
    const sinceStart = (result.evidence.sinceStart as { hitRate: number }).hitRate;
    expect(sinceStart).toBeGreaterThan(0.5);
  });

  it('is skipped when the window saw too few lookups to judge', async () => {
    const result = await measure(undefined);
    expect(result.status).toBe('skip');
    expect(result.reason).toMatch(/^too little traffic: 0 lookups in 3\d\d(\.\d+)? ms \(minLookups 20\)/);
  });
});
