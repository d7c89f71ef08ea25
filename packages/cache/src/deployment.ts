import type { Cluster, Redis } from 'ioredis';
import { ProbeError, ProbeErrorCode, messageOf } from '@probe/core';
import { addressOf, endpointOf, openCluster, openRedis, type ConnectionSettings, type Endpoint } from './connection.ts';
import { parseClusterNodes, type ClusterNodeLine } from './cluster-nodes.ts';
import { parseInfo } from './info.ts';
import type { ResolvedOptions } from './options.ts';

/** One Redis server of the deployment, with the probe's direct connection to it. */
export interface RedisNode {
  /** `host:port`. */
  address: string;
  role: 'master' | 'replica';
  endpoint: Endpoint;
  client: Redis;
}

/** A master and its replicas; in a cluster, with the slot ranges it serves. */
export interface Shard {
  master: RedisNode;
  /** Replicas the probe could connect to. */
  replicas: RedisNode[];
  /** Replicas the deployment says exist (the master's `connected_slaves` or configured URLs; CLUSTER NODES). */
  expectedReplicas: number;
  /** Cluster slot ranges `[start, end]` (inclusive). */
  slots: [number, number][];
}

/** What the probe found at the URL. */
export interface Deployment {
  mode: 'standalone' | 'replicated' | 'cluster';
  /** `redis_version` of the node at the URL. */
  version: string;
  /** The node at the URL (admin commands: INFO, SLOWLOG, CLIENT KILL). */
  seed: RedisNode;
  /** Where keyed commands go: the seed's connection, or a cluster client. */
  client: Redis | Cluster;
  shards: Shard[];
  /** Nodes that could not be reached, found while connecting (reported by distribution). */
  problems: string[];
}

/** Every data node: masters first, then replicas. */
export function nodesOf(deployment: Deployment): RedisNode[] {
  return [...deployment.shards.map((shard) => shard.master), ...deployment.shards.flatMap((shard) => shard.replicas)];
}

/** Every direct connection the deployment holds (each once). */
export function connectionsOf(deployment: Deployment): Redis[] {
  return [...new Set([deployment.seed.client, ...nodesOf(deployment).map((node) => node.client)])];
}

/**
 * Connect to the URL, find out what it is (standalone, primary with replicas,
 * cluster node), and open one bounded connection per node. Throws a ProbeError
 * with a clear cause: unreachable, bad credentials, or `cluster` asked of a
 * standalone server.
 */
export async function openDeployment(options: ResolvedOptions, settings: ConnectionSettings): Promise<Deployment> {
  const seedEndpoint = endpointOf(options.url);
  const seedClient = await openRedis(seedEndpoint, settings);
  const opened: Redis[] = [seedClient];
  try {
    const seedInfo = parseInfo(await seedClient.info());
    const seed: RedisNode = { address: addressOf(seedEndpoint), role: seedInfo.role === 'slave' ? 'replica' : 'master', endpoint: seedEndpoint, client: seedClient };
    const version = seedInfo.redis_version ?? 'unknown';
    if (seedInfo.cluster_enabled === '1') {
      return await openClusterDeployment(options, settings, seed, version, opened);
    }
    if (options.cluster) {
      throw new ProbeError(ProbeErrorCode.CONFIG, `cluster mode was asked for, but Redis at ${seed.address} is a standalone server (cluster_enabled:0)`, {
        hint: 'remove the `cluster` option, or point `url` at a node of the cluster',
      });
    }
    const problems: string[] = [];
    const replicas: RedisNode[] = [];
    for (const url of options.replicas ?? []) {
      const endpoint = endpointOf(url);
      try {
        const client = await openRedis(endpoint, settings);
        opened.push(client);
        replicas.push({ address: addressOf(endpoint), role: 'replica', endpoint, client });
      } catch (error) {
        problems.push(`replica ${addressOf(endpoint)} cannot be reached: ${messageOf(error)}`);
      }
    }
    const connected = Number(seedInfo.connected_slaves ?? 0);
    const expectedReplicas = Math.max(connected, options.replicas?.length ?? 0);
    return {
      mode: expectedReplicas > 0 ? 'replicated' : 'standalone',
      version, seed, client: seedClient, problems,
      shards: [{ master: seed, replicas, expectedReplicas, slots: [] }],
    };
  } catch (error) {
    for (const client of opened) client.disconnect();
    throw error;
  }
}

async function openClusterDeployment(options: ResolvedOptions, settings: ConnectionSettings, seed: RedisNode, version: string, opened: Redis[]): Promise<Deployment> {
  const seeds = [seed.endpoint, ...(Array.isArray(options.cluster) ? options.cluster.map(endpointOf) : [])];
  const cluster = await openCluster(seeds, settings);
  try {
    // A replica answers reads of its master's slots only after READONLY (otherwise MOVED).
    if (seed.role === 'replica') await seed.client.call('READONLY');
    const problems: string[] = [];
    const open = async (line: ClusterNodeLine, role: RedisNode['role']): Promise<RedisNode | undefined> => {
      const endpoint: Endpoint = { ...seed.endpoint, host: line.host, port: line.port };
      const address = addressOf(endpoint);
      if (address === seed.address) return { ...seed, role };
      try {
        const client = await openRedis(endpoint, settings);
        opened.push(client);
        if (role === 'replica') await client.call('READONLY');
        return { address, role, endpoint, client };
      } catch (error) {
        problems.push(`${role} ${address} cannot be reached: ${messageOf(error)}`);
        return undefined;
      }
    };
    const lines = parseClusterNodes(String(await seed.client.call('CLUSTER', 'NODES')));
    const masters = lines.filter((line) => line.flags.includes('master') && line.slots.length > 0);
    const shards = await Promise.all(masters.map(async (master): Promise<Shard | undefined> => {
      const replicaLines = lines.filter((line) => line.masterId === master.id);
      const [masterNode, ...replicas] = await Promise.all([open(master, 'master'), ...replicaLines.map((line) => open(line, 'replica'))]);
      if (!masterNode) return undefined;
      return { master: masterNode, replicas: replicas.filter((replica) => replica !== undefined), expectedReplicas: replicaLines.length, slots: master.slots };
    }));
    return { mode: 'cluster', version, seed, client: cluster, shards: shards.filter((shard) => shard !== undefined), problems };
  } catch (error) {
    cluster.disconnect();
    throw error;
  }
}
