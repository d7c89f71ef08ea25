import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { createRedisNamespace, startRedisServer, type RedisNamespace, type RedisServer } from '../testing/index.ts';
import { judgeMemory } from './memory.ts';

const ID = 'cache.strategy.memory';
const thresholds = { memoryWarnRatio: 0.8, memoryFailRatio: 0.9, fragmentationWarn: 1.5 };

describe.skipIf(!sharedUrl)('cache.strategy.memory on the shared server', () => {
  let cache: RedisNamespace;
  beforeEach(async () => {
    cache = await createRedisNamespace({ url: sharedUrl! });
    await cache.client.mset({ 'user:1': 'a'.repeat(100), 'user:2': 'b'.repeat(5_000) });
  });
  afterEach(() => cache.cleanup());

  it('warns about a sampled key above bigKeyBytes', async () => {
    await cache.client.set('blob', Buffer.alloc(200_000, 1));
    const result = await runCheck({ url: sharedUrl!, keyPrefix: cache.prefix, thresholds: { bigKeyBytes: 100_000 } }, ID);
    expect(result.status).toBe('warn');
    // The shared server's own fragmentation may warn too (other tests write to it): look at the findings.
    expect(result.evidence.findings).toContainEqual(expect.stringMatching(new RegExp(`^warn: 1 sampled keys are above 98 KiB: ${cache.key('blob')} \\(\\d+ KiB\\)$`)));
  });
});

describe('cache.strategy.memory on private servers', () => {
  let clean: RedisServer;
  let full: RedisServer;
  let fragmented: RedisServer;
  beforeAll(async () => {
    [clean, full, fragmented] = await Promise.all([
      startRedisServer({ config: { maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru' } }),
      startRedisServer({ config: { maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru' } }),
      startRedisServer(),
    ]);
    const app = new Redis(clean.url);
    await app.mset({ 'user:1': 'a'.repeat(100), 'user:2': 'b'.repeat(5_000), 'other:1': 'c'.repeat(50_000) });
    app.disconnect();
    const filler = new Redis(full.url);
    for (let index = 0; index < 300; index++) await filler.set(`app:${index}`, 'x'.repeat(10_000));
    filler.disconnect();
    // 60 000 values of 400 bytes, then three in four deleted: jemalloc keeps the pages.
    const writer = new Redis(fragmented.url);
    for (let batch = 0; batch < 60_000; batch += 5_000) {
      const pipeline = writer.pipeline();
      for (let index = batch; index < batch + 5_000; index++) pipeline.set(`app:${index}`, 'x'.repeat(400));
      await pipeline.exec();
    }
    for (let batch = 0; batch < 60_000; batch += 5_000) {
      const pipeline = writer.pipeline();
      for (let index = batch; index < batch + 5_000; index++) if (index % 4 !== 0) pipeline.unlink(`app:${index}`);
      await pipeline.exec();
    }
    writer.disconnect();
  });
  afterAll(async () => {
    await Promise.all([clean.stop(), full.stop(), fragmented.stop()]);
  });

  it('passes and names the largest sampled key under the application prefix', async () => {
    const result = await runCheck({ url: clean.url, keyPrefix: 'user:' }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^127.0.0.1:\d+: used [\d.]+ MiB of 64 MiB maxmemory \(\d+(\.\d)?%\); largest sampled key user:2 \(\d+(\.\d)? KiB\)$/);
    expect((result.evidence.largestKeys as { key: string }[]).map((key) => key.key)).toEqual(['user:2', 'user:1']);
    expect(result.evidence.sample).toMatchObject({ keys: 2, complete: true, patterns: ['user:*'] });
  });

  it('fails when used memory is at the maxmemory limit', async () => {
    const result = await runCheck({ url: full.url }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^127.0.0.1:\d+: used [\d.]+ MiB of 2 MiB maxmemory \((9\d|1\d\d)(\.\d)?%\)$/);
  });

  it('warns about fragmentation above the threshold', async () => {
    const result = await runCheck({ url: fragmented.url, sample: { maxKeys: 100 } }, ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^127.0.0.1:\d+: fragmentation ratio [2-9]\.\d+ \(RSS \d+ MiB for \d+(\.\d)? MiB used; allocator_frag_ratio [\d.]+\): consider activedefrag$/);
  });
});

describe('judgeMemory', () => {
  const mib = 1_024 * 1_024;
  it('fails when RSS is below used memory (swapped out)', () => {
    const findings = judgeMemory({ used_memory: String(100 * mib), used_memory_rss: String(60 * mib), mem_fragmentation_ratio: '0.6', maxmemory: '0', total_system_memory: String(1_000 * mib) }, thresholds);
    expect(findings).toEqual([
      { status: 'pass', text: 'used 100 MiB of 1000 MiB system memory (no maxmemory set) (10%)' },
      { status: 'fail', text: 'RSS 60 MiB is below used memory 100 MiB (fragmentation ratio 0.6): part of Redis is swapped out; expect latency' },
    ]);
  });

  it('does not judge fragmentation below 5 MiB used, and warns between the memory ratios', () => {
    expect(judgeMemory({ used_memory: String(mib), maxmemory: String(1.2 * mib), mem_fragmentation_ratio: '9.5' }, thresholds)).toEqual([
      { status: 'warn', text: 'used 1 MiB of 1.2 MiB maxmemory (83.3%)' },
    ]);
  });
});
