import { Redis } from 'ioredis';
import { startRedisServer, type RedisConfigValue, type RedisServer, type RedisServerOptions } from './redis-server.ts';

/** Options of {@link startRedisReplica}. */
export interface RedisReplicaOptions extends Omit<RedisServerOptions, 'port'> {
  /** Bound on the start and the first sync, in ms (default 5 000). */
  startTimeoutMs?: number;
}

/**
 * Start a private replica of `primary` (`--replicaof`) and wait until its link
 * is up (`master_link_status:up`), the primary lists it `state=online`, and it
 * acknowledges writes (WAIT counts it; right after a sync that can take up to
 * a second). Stop it before the primary.
 */
export async function startRedisReplica(primary: RedisServer, options: RedisReplicaOptions = {}): Promise<RedisServer> {
  const password = new URL(primary.url).password;
  const config: Record<string, RedisConfigValue> = {
    replicaof: [primary.host, primary.port],
    ...(password ? { masterauth: decodeURIComponent(password), requirepass: decodeURIComponent(password) } : {}),
    ...options.config,
  };
  const replica = await startRedisServer({ ...options, config });
  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 5_000);
    await until(replica.url, async (client) => /master_link_status:up/.test(await client.info('replication')), deadline - Date.now(), 'the replica link');
    const online = new RegExp(`^slave\\d+:ip=[^,]*,port=${replica.port},state=online`, 'm');
    await until(primary.url, async (client) => online.test(await client.info('replication')), deadline - Date.now(), 'the primary to put the replica online');
    // The replica must also acknowledge writes (WAIT counts it): a PUBLISH is replicated and leaves no key behind.
    await until(primary.url, async (client) => {
      const connected = Number(/connected_slaves:(\d+)/.exec(await client.info('replication'))?.[1] ?? 0);
      await client.publish('probe:replica-warmup', '');
      return Number(await client.call('WAIT', connected, 100)) >= connected;
    }, deadline - Date.now(), 'the replica to acknowledge writes');
  } catch (error) {
    await replica.stop();
    throw error;
  }
  return replica;
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Master nodes; the 16 384 slots are split evenly between them (default 3). */
  masters?: number;
  /** Replicas of each master (default 0). */
  replicasPerMaster?: number;
  /** Extra directives for every node. */
  config?: Record<string, RedisConfigValue>;
  /** Bound on the whole start, in ms (default 10 000). */
  startTimeoutMs?: number;
}

/** A private Redis Cluster started by {@link startRedisCluster}. */
export interface RedisCluster {
  /** The URL of every node, masters first. */
  urls: string[];
  masters: RedisServer[];
  replicas: RedisServer[];
  /** Stops every node. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start a private Redis Cluster on 127.0.0.1 (3 masters in well under 2 s):
 * one `redis-server --cluster-enabled yes` per node, slots assigned with
 * `CLUSTER ADDSLOTSRANGE`, nodes joined with `CLUSTER MEET`, replicas attached
 * with `CLUSTER REPLICATE`; resolves when every node reports `cluster_state:ok`.
 * Needs only the redis-server binary (no redis-cli).
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masterCount = options.masters ?? 3;
  const replicaCount = masterCount * (options.replicasPerMaster ?? 0);
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  const config = { 'cluster-enabled': 'yes', 'cluster-config-file': 'nodes.conf', 'cluster-node-timeout': 2_000, ...options.config };
  const nodes = await Promise.all(Array.from({ length: masterCount + replicaCount }, () => startRedisServer({ config })));
  const masters = nodes.slice(0, masterCount);
  const replicas = nodes.slice(masterCount);
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  const clients = nodes.map((node) => new Redis(node.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    const ids = await Promise.all(clients.map(async (client) => String(await client.call('CLUSTER', 'MYID'))));
    const per = Math.ceil(16_384 / masterCount);
    await Promise.all(clients.slice(0, masterCount).map(async (client, index) => {
      await client.call('CLUSTER', 'ADDSLOTSRANGE', index * per, Math.min(16_383, (index + 1) * per - 1));
      await client.call('CLUSTER', 'SET-CONFIG-EPOCH', index + 1);
    }));
    await Promise.all(nodes.slice(1).map((node) => clients[0]!.call('CLUSTER', 'MEET', node.host, node.port)));
    for (const [offset, client] of clients.slice(masterCount).entries()) {
      const masterId = ids[offset % masterCount]!;
      await until(nodes[masterCount + offset]!.url, async (own) => String(await own.call('CLUSTER', 'NODES')).includes(masterId), deadline - Date.now(), 'a replica to learn its master');
      await client.call('CLUSTER', 'REPLICATE', masterId);
    }
    for (const node of nodes) {
      await until(node.url, async (client) => /cluster_state:ok/.test(String(await client.call('CLUSTER', 'INFO'))), deadline - Date.now(), 'cluster_state:ok');
    }
    for (const replica of replicas) {
      await until(replica.url, async (client) => /master_link_status:up/.test(await client.info('replication')), deadline - Date.now(), 'the replica links');
    }
    // Every node must know every replica's role (gossip), or CLUSTER SLOTS on it would miss some.
    for (const node of nodes) {
      await until(node.url, async (client) => (String(await client.call('CLUSTER', 'NODES')).match(/\bslave\b/g) ?? []).length >= replicaCount, deadline - Date.now(), 'every node to see the replicas');
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    for (const client of clients) client.disconnect();
  }
  return { urls: nodes.map((node) => node.url), masters, replicas, stop };
}

/** Polls `condition` on a fresh connection to `url` every 20 ms until it holds or `timeoutMs` passes. */
async function until(url: string, condition: (client: Redis) => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  const deadline = Date.now() + Math.max(0, timeoutMs);
  try {
    await client.connect();
    while (!(await condition(client))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    client.disconnect();
  }
}
