import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { freePort, startRedisCluster, startRedisReplica, startRedisServer, type RedisCluster, type RedisServer } from '../testing/index.ts';

const ID = 'cache.consistency.sync';

describe.skipIf(!sharedUrl)('cache.consistency.sync on a standalone server', () => {
  it('is skipped: no replicas', async () => {
    const result = await runCheck({ url: sharedUrl! }, ID);
    expect(result.status).toBe('skip');
    expect(result.reason).toBe('no replicas (connected_slaves:0 and no `replicas` configured)');
  });
});

describe('cache.consistency.sync on a primary with replicas', () => {
  let primary: RedisServer;
  let replicas: RedisServer[];
  let stray: RedisServer;
  beforeAll(async () => {
    primary = await startRedisServer();
    replicas = await Promise.all([startRedisReplica(primary), startRedisReplica(primary)]);
    stray = await startRedisServer({ config: { replicaof: ['127.0.0.1', await freePort()] } });
  });
  afterAll(async () => {
    await Promise.all([...replicas, stray].map((server) => server.stop()));
    await primary.stop();
  });

  it('passes when WAIT counts every replica and each shows the write, reporting the lag', async () => {
    const result = await runCheck({ url: primary.url, replicas: replicas.map((replica) => replica.url) }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^a write was acknowledged by 2 replicas \(WAIT\) and visible on 2 replicas after at most \d+(\.\d+)? ms$/);
    expect(result.metrics[0]).toMatchObject({ name: 'cache.replication.visible_after_ms', unit: 'ms' });
  });

  it('without replica URLs, still checks the acknowledgement of the replicas the primary knows', async () => {
    const result = await runCheck({ url: primary.url }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('a write was acknowledged by 2 replicas (WAIT) and no replica URL to read back from (set `replicas`)');
  });

  it('fails when a replica never receives the write (its link is down)', async () => {
    const result = await runCheck({ url: primary.url, replicas: [replicas[0]!.url, stray.url], thresholds: { replicationLagMs: 300 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(`127.0.0.1:${stray.port} did not show the write within 300 ms`);
    const [shard] = result.evidence.shards as { acknowledged: number; expectedReplicas: number }[];
    expect(shard).toMatchObject({ acknowledged: 2, expectedReplicas: 2 });
  });

  it('fails when WAIT counts fewer replicas than expected', async () => {
    const result = await runCheck({ url: primary.url, replicas: [replicas[0]!.url, replicas[1]!.url, stray.url], thresholds: { replicationLagMs: 300 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('WAIT on 127.0.0.1:' + primary.port + ' answered 2 of 3 replicas within 300 ms (+1 more)');
  });
});

describe('cache.consistency.sync on a cluster with replicas', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  });
  afterAll(() => cluster.stop());

  it('writes on every master and reads the write back on its replica', async () => {
    const result = await runCheck({ url: cluster.urls[0]! }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^a write was acknowledged by 3 replicas \(WAIT\) and visible on 3 replicas after at most/);
    const shards = result.evidence.shards as { key: string; master: string }[];
    expect(shards.map((shard) => shard.master).sort()).toEqual(cluster.masters.map((master) => `127.0.0.1:${master.port}`).sort());
  });
});
