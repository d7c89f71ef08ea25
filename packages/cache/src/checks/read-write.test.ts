import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRespProxy, type RespProxy } from '../../test/support/resp-proxy.ts';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { startRedisReplica, startRedisServer, type RedisServer } from '../testing/index.ts';

const ID = 'cache.ops.read-write';

describe.skipIf(!sharedUrl)('cache.ops.read-write', () => {
  let mangling: RespProxy;
  beforeAll(async () => {
    const { hostname, port } = new URL(sharedUrl!);
    // A middlebox that decodes values as UTF-8 and re-encodes them: binary bytes are lost.
    mangling = await startRespProxy({
      target: { host: hostname, port: Number(port || 6379) },
      rewrite: (args) => (args[0]?.toString().toUpperCase() === 'SET' ? args.map((arg, index) => (index === 2 ? Buffer.from(arg.toString('utf8')) : arg)) : args),
    });
  });
  afterAll(() => mangling.close());

  it('passes when every size and the binary value come back byte-identical', async () => {
    const result = await runCheck({ url: sharedUrl! }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('5 values (0 B, 1 B, 1 KiB, 64 KiB, binary 4 KiB) came back byte-identical and were gone after DEL');
    expect(result.evidence.values).toEqual([
      { label: '0 B', bytes: 0 }, { label: '1 B', bytes: 1 }, { label: '1 KiB', bytes: 1_024 }, { label: '64 KiB', bytes: 65_536 }, { label: 'binary 4 KiB', bytes: 4_096 },
    ]);
  });

  it('fails when a middlebox mangles binary values, naming the value and the first differing byte', async () => {
    const result = await runCheck({ url: mangling.url }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^1 of 5 values did not round-trip: binary 4 KiB came back different from byte 128 \(\d+ bytes instead of 4096\)$/);
    const [mismatch] = result.evidence.mismatches as { firstDifferentByte: number; gotBytes: number }[];
    expect(mismatch!.firstDifferentByte).toBe(128);
    expect(mismatch!.gotBytes).toBeGreaterThan(4_096);
    expect(result.evidence.repro).toMatch(/^head -c 4096 \/dev\/urandom > value.bin && redis-cli -u redis:\/\/127.0.0.1:\d+ -x SET probe:repro:bin < value.bin/);
  });
});

describe('cache.ops.read-write on servers that refuse some writes', () => {
  let tight: RedisServer;
  let full: RedisServer;
  let replica: RedisServer;
  beforeAll(async () => {
    [tight, full] = await Promise.all([
      startRedisServer({ config: { maxmemory: '1200kb', 'maxmemory-policy': 'allkeys-lru' } }),
      startRedisServer({ config: { maxmemory: '1mb', 'maxmemory-policy': 'noeviction' } }),
    ]);
    replica = await startRedisReplica(tight);
    const client = new Redis(full.url);
    for (let index = 0; index < 200; index++) {
      if (await client.set(`app:${index}`, 'x'.repeat(10_000)).catch(() => 'OOM') === 'OOM') break;
    }
    client.disconnect();
  });
  afterAll(async () => {
    await replica.stop();
    await Promise.all([tight.stop(), full.stop()]);
  });

  it('skips the large values when the headroom under maxmemory is short, so it cannot cause evictions', async () => {
    const result = await runCheck({ url: tight.url }, ID);
    expect(result.status).toBe('pass');
    expect(result.evidence.skipped).toMatchObject({ values: ['64 KiB'] });
    expect(String((result.evidence.skipped as { reason: string }).reason)).toMatch(/^only \d+ KiB of headroom under maxmemory/);
  });

  it('fails when the server refuses writes (OOM under noeviction)', async () => {
    const result = await runCheck({ url: full.url }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe("writes are refused: OOM command not allowed when used memory > 'maxmemory'.");
  });

  it('errors with PROBE_ERR_CONFIG when the URL points at a read-only replica', async () => {
    const result = await runCheck({ url: replica.url }, ID);
    expect(result.error).toEqual({
      code: 'PROBE_ERR_CONFIG',
      message: "the URL points at a read-only replica (READONLY You can't write against a read only replica.) — give the primary as `url` and the replica under `replicas`",
    });
  });
});
