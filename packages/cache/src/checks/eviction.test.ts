import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { runCheck } from '../../test/support/run.ts';
import { startRedisServer, type RedisServer } from '../testing/index.ts';
import { judgeEviction, type EvictionFacts } from './eviction.ts';

const ID = 'cache.strategy.eviction';
const sample = { windowMs: 200 };

/** Write `count` values of `bytes` each; stops quietly at the first OOM. */
async function fill(url: string, count: number, bytes: number, prefix = 'app:'): Promise<void> {
  const client = new Redis(url);
  for (let index = 0; index < count; index++) {
    if ((await client.set(`${prefix}${index}`, 'x'.repeat(bytes)).catch(() => 'OOM')) === 'OOM') break;
  }
  client.disconnect();
}

describe('cache.strategy.eviction', () => {
  const servers: Record<string, RedisServer> = {};
  beforeAll(async () => {
    const configs = {
      lru: { maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru' },
      noeviction: { maxmemory: '64mb', 'maxmemory-policy': 'noeviction' },
      full: { maxmemory: '2mb', 'maxmemory-policy': 'noeviction' },
      tiny: { maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru' },
      volatile: { maxmemory: '64mb', 'maxmemory-policy': 'volatile-lru' },
      unlimited: {},
    };
    await Promise.all(Object.entries(configs).map(async ([name, config]) => { servers[name] = await startRedisServer({ config }); }));
    await fill(servers.full!.url, 300, 10_000);
    await fill(servers.volatile!.url, 20, 100);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  });

  it('passes with allkeys-lru, maxmemory set and nothing evicted', async () => {
    const result = await runCheck({ url: servers.lru!.url, sample }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^maxmemory-policy allkeys-lru with 64 MiB maxmemory \(used \d+(\.\d)?%\)$/);
    expect(result.metrics).toEqual([{ name: 'cache.evicted_keys', value: 0, unit: 'count' }]);
  });

  it('warns about noeviction on a cache, and fails near the limit', async () => {
    const roomy = await runCheck({ url: servers.noeviction!.url, sample }, ID);
    expect(roomy.status).toBe('warn');
    expect(roomy.summary).toMatch(/^maxmemory-policy noeviction on a cache: when full, writes fail with OOM instead of evicting/);
    const full = await runCheck({ url: servers.full!.url, sample }, ID);
    expect(full.status).toBe('fail');
    expect(full.summary).toMatch(/^used (9\d|1\d\d)(\.\d)?% of maxmemory 2 MiB under noeviction: writes are about to fail with OOM$/);
  });

  it('warns when keys are evicted during the window (capacity pressure)', async () => {
    const writing = fill(servers.tiny!.url, 2_000, 5_000, 'churn:');
    const result = await runCheck({ url: servers.tiny!.url, sample }, ID);
    await writing;
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^\d+ keys evicted in 2\d\d ms: capacity pressure \(the working set does not fit\)$/);
    expect(result.metrics[0]!.value).toBeGreaterThan(0);
  });

  it('fails an evicting policy when the declared use is a store', async () => {
    const result = await runCheck({ url: servers.lru!.url, use: 'store', sample }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('maxmemory-policy allkeys-lru evicts data when 64 MiB is reached; a store must not lose keys: use noeviction');
  });

  it('warns when a volatile policy has few keys with a TTL to evict', async () => {
    const result = await runCheck({ url: servers.volatile!.url, sample }, ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toBe('maxmemory-policy volatile-lru only evicts keys with a TTL, and only 0% of keys have one: for the rest it acts like noeviction');
  });

  it('warns when a cache has no maxmemory at all', async () => {
    const result = await runCheck({ url: servers.unlimited!.url, sample }, ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^no maxmemory: the cache grows until the host runs out of memory/);
  });
});

describe('judgeEviction', () => {
  const facts: EvictionFacts = { use: 'store', policy: 'noeviction', maxmemory: 0, used: 1, keys: 1, expires: 0, evicted: 0, windowMs: 1_000, nearLimit: 0.9 };
  it('a store without maxmemory never evicts; evictions in a store fail', () => {
    expect(judgeEviction(facts)).toEqual([{ status: 'pass', text: 'no maxmemory: nothing is ever evicted' }]);
    expect(judgeEviction({ ...facts, maxmemory: 100, policy: 'noeviction', evicted: 3 })).toEqual([
      { status: 'pass', text: 'noeviction with 100 B maxmemory (used 1%)' },
      { status: 'fail', text: '3 keys evicted in 1000 ms: data is being lost' },
    ]);
  });
});
