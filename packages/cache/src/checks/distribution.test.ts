import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { freePort, startRedisCluster, startRedisReplica, startRedisServer, type RedisCluster, type RedisServer } from '../testing/index.ts';

const ID = 'cache.ops.distribution';

describe.skipIf(!sharedUrl)('cache.ops.distribution on a standalone server', () => {
  it('is skipped: nothing is distributed', async () => {
    const result = await runCheck({ url: sharedUrl! }, ID);
    expect(result.status).toBe('skip');
    expect(result.reason).toBe('standalone server: not a cluster, and no replicas (connected_slaves:0, no `replicas` configured)');
  });
});

describe('cache.ops.distribution on a primary with replicas', () => {
  let primary: RedisServer;
  let replica: RedisServer;
  let stray: RedisServer;
  beforeAll(async () => {
    primary = await startRedisServer();
    replica = await startRedisReplica(primary);
    // A "replica" pointed at the wrong master: its link never comes up.
    stray = await startRedisServer({ config: { replicaof: ['127.0.0.1', await freePort()] } });
  });
  afterAll(async () => {
    await Promise.all([replica.stop(), stray.stop()]);
    await primary.stop();
  });

  it('passes when every replica is online, linked and caught up', async () => {
    const result = await runCheck({ url: primary.url, replicas: [replica.url] }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^1 replicas online, links up, at most \d+ B behind the primary$/);
    expect(result.evidence.replicas).toMatchObject([{ address: `127.0.0.1:${replica.port}`, role: 'slave', master_link_status: 'up' }]);
  });

  it('fails when a configured replica is not linked to the primary', async () => {
    const result = await runCheck({ url: primary.url, replicas: [replica.url, stray.url] }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('replication: the primary sees 1 replicas, 2 expected (+1 more)');
    expect(result.evidence.problems).toEqual([
      'the primary sees 1 replicas, 2 expected',
      expect.stringMatching(new RegExp(`^replica 127.0.0.1:${stray.port} has master_link_status:down \\(master 127.0.0.1:\\d+\\)$`)),
    ]);
  });

  it('fails when a configured replica cannot be reached', async () => {
    const result = await runCheck({ url: primary.url, replicas: [`redis://127.0.0.1:${await freePort()}`] }, ID);
    expect(result.status).toBe('fail');
    expect(result.evidence.problems).toContainEqual(expect.stringMatching(/^replica 127.0.0.1:\d+ cannot be reached: cannot reach Redis at 127.0.0.1:\d+: connect ECONNREFUSED/));
  });
});

describe('cache.ops.distribution on a cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  });
  afterAll(() => cluster.stop());

  it('passes when all 16384 slots are served and probe keys land on their slot\'s master', async () => {
    const result = await runCheck({ url: cluster.urls[1]! }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^cluster ok: 16384 slots covered by 3 masters, all answering; 12 probe keys landed on their slot's master \(\d+\/\d+\/\d+\)$/);
    expect(result.evidence.clusterInfo).toMatchObject({ cluster_state: 'ok', cluster_slots_assigned: '16384', cluster_size: '3' });
    expect(result.evidence.repro).toBe(`redis-cli -u redis://127.0.0.1:${cluster.masters[1]!.port} -c --cluster check 127.0.0.1:${cluster.masters[1]!.port}`);
  });

  it('in read-only mode checks the slot map without writing probe keys', async () => {
    const result = await runCheck({ url: cluster.urls[0]! }, ID, { readOnly: true });
    expect(result.status).toBe('pass');
    expect(result.evidence.probeKeys).toBe('not written (read-only mode)');
  });

  // The last two break the cluster.
  it('fails when a master does not answer', async () => {
    await cluster.masters[2]!.stop();
    const result = await runCheck({ url: cluster.urls[0]! }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(new RegExp(`^cluster: master 127.0.0.1:${cluster.masters[2]!.port} cannot be reached: cannot reach Redis at 127.0.0.1:\\d+: connect ECONNREFUSED`));
  });

  it('fails when slots are not covered, naming the uncovered range', async () => {
    await Promise.all(cluster.urls.slice(0, 2).map(async (url) => {
      const node = new Redis(url);
      await node.call('CLUSTER', 'DELSLOTSRANGE', 0, 99);
      node.disconnect();
    }));
    const result = await runCheck({ url: cluster.urls[0]! }, ID);
    expect(result.status).toBe('fail');
    expect(result.evidence.problems).toContain('100 of 16384 slots are not assigned (0-99)');
    expect(result.evidence.problems).toContainEqual(expect.stringMatching(/^cluster_state:fail on 2 of 2 masters/));
  });
});
