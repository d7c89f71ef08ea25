import type { Redis } from 'ioredis';
import type { ProbeContext } from '@probe/core';
import { addressOf, openRedis, type ConnectionSettings, type Endpoint } from './connection.ts';
import { connectionsOf, nodesOf, openDeployment, type Deployment, type RedisNode } from './deployment.ts';
import { createProbeKeys, type ProbeKeys } from './keys.ts';
import type { ResolvedOptions } from './options.ts';
import { createStatsWindow, type StatsWindow } from './stats-window.ts';
import { shellQuote } from './util.ts';

/** What the probe's setup opens and every check uses. */
export interface CacheResources {
  options: ResolvedOptions;
  deployment: Deployment;
  /** The probe's own keys (`probe:<runId>:…`). */
  keys: ProbeKeys;
  /** The shared counters window (hit rate, evictions). */
  statsWindow(signal: AbortSignal): Promise<StatsWindow>;
  /** Open an extra bounded connection, closed in teardown. */
  connect(endpoint: Endpoint): Promise<Redis>;
  /** A one-paste `redis-cli` command against `node` (default: the URL's node, `-c` on a cluster), secrets redacted. */
  cli(args: readonly (string | number)[], node?: RedisNode): string;
  /** CLIENT SETNAME of every probe connection: `probe:<runId>`. */
  connectionName: string;
  /** Extra connections opened by checks. */
  extra: Redis[];
}

/** The probe's setup: connect to the deployment and prepare the key registry. */
export async function openResources(options: ResolvedOptions, context: ProbeContext): Promise<CacheResources> {
  const connectionName = `probe:${context.runId}`;
  const settings: ConnectionSettings = { connectTimeoutMs: options.connectTimeoutMs, commandTimeoutMs: options.commandTimeoutMs, connectionName };
  const deployment = await openDeployment(options, settings);
  const extra: Redis[] = [];
  return {
    options,
    deployment,
    keys: createProbeKeys(options.probeKeyPrefix, context.runId),
    statsWindow: createStatsWindow(() => nodesOf(deployment), options.sample.windowMs),
    async connect(endpoint) {
      const client = await openRedis(endpoint, settings);
      extra.push(client);
      return client;
    },
    cli(args, node) {
      const endpoint = node?.endpoint ?? deployment.seed.endpoint;
      const cluster = !node && deployment.mode === 'cluster' ? ['-c'] : [];
      const command = ['redis-cli', '-u', urlOf(endpoint), ...cluster, ...args.map(String)].map(shellQuote).join(' ');
      return context.redact(command);
    },
    connectionName,
    extra,
  };
}

/**
 * The probe's teardown: remove every key the probe wrote (also after an abort),
 * then close every connection. Bounded by the engine's teardown deadline.
 */
export async function closeResources(resources: CacheResources | undefined): Promise<void> {
  if (!resources) return;
  const { deployment, keys, extra } = resources;
  try {
    await keys.release(deployment.shards.map((shard) => shard.master.client));
  } finally {
    for (const client of [...extra, ...connectionsOf(deployment)]) client.disconnect();
    deployment.client.disconnect();
  }
}

function urlOf(endpoint: Endpoint): string {
  const user = endpoint.username ? encodeURIComponent(endpoint.username) : '';
  const password = endpoint.password ? `:${encodeURIComponent(endpoint.password)}` : '';
  const auth = user || password ? `${user}${password}@` : '';
  return `${endpoint.tls ? 'rediss' : 'redis'}://${auth}${addressOf(endpoint)}${endpoint.db ? `/${endpoint.db}` : ''}`;
}
