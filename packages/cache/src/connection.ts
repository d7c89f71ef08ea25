import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ProbeError, ProbeErrorCode, messageOf, systemCode } from '@probe/core';

/** Where and how to connect: a URL's parts, reusable for the other nodes of a deployment. */
export interface Endpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: boolean;
}

/** Bounds and names every probe connection shares. */
export interface ConnectionSettings {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** CLIENT SETNAME, so the probe's own connections can be told apart (and left out of SLOWLOG verdicts). */
  connectionName: string;
  /** ioredis `keyPrefix`: prepended to every key (the test kit's namespaces). */
  keyPrefix?: string;
}

/** Reconnect attempts after a connection that was ready drops (50, 100, 200, 400, 800 ms apart). */
const RECONNECT_ATTEMPTS = 5;

/** A redis:// or rediss:// URL → its parts. */
export function endpointOf(url: string): Endpoint {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db && /^\d+$/.test(db) ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: true } : {}),
  };
}

/** `host:port` of an endpoint, as Redis prints node addresses. */
export function addressOf(endpoint: Pick<Endpoint, 'host' | 'port'>): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/**
 * The ioredis options of every probe connection. ioredis retries forever by
 * default; a probe must answer in bounded time, so:
 * - before the first `ready`, `retryStrategy` returns null: a refused, timed-out
 *   or rejected connect fails at once with its cause (no background retries);
 * - after `ready`, a dropped connection is retried 5 times (50 ms doubling to
 *   800 ms, about 1.5 s), then given up: queued commands fail instead of waiting;
 * - `maxRetriesPerRequest: 1` (default 20): commands waiting on a dropped
 *   connection are rejected (MaxRetriesPerRequestError) as soon as one
 *   reconnect attempt fails, instead of after twenty;
 * - `enableOfflineQueue: true` (kept on purpose): a command issued while
 *   reconnecting waits for the reconnect, bounded by the two rules above and by
 *   `commandTimeout`; that is how `cache.consistency.recovery` measures recovery;
 * - `connectTimeout` and `commandTimeout` bound each connect and each command;
 * - `disableClientInfo`: no CLIENT SETINFO (v6 sends it; servers before 7.2 reject it).
 */
function boundedOptions(endpoint: Endpoint, settings: ConnectionSettings, state: { ready: boolean }): RedisOptions {
  return {
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.username ? { username: endpoint.username } : {}),
    ...(endpoint.password ? { password: endpoint.password } : {}),
    ...(endpoint.db ? { db: endpoint.db } : {}),
    ...(endpoint.tls ? { tls: { servername: endpoint.host } } : {}),
    lazyConnect: true,
    connectTimeout: settings.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (times) => (state.ready && times <= RECONNECT_ATTEMPTS ? 50 * 2 ** (times - 1) : null),
    connectionName: settings.connectionName,
    disableClientInfo: true,
    ...(settings.keyPrefix ? { keyPrefix: settings.keyPrefix } : {}),
  };
}

/**
 * Open one connection and wait until it is ready. Fails fast and clearly:
 * refused/unreachable → PROBE_ERR_UNREACHABLE, wrong or missing password →
 * PROBE_ERR_AUTH, a server that does not speak RESP → PROBE_ERR_CONFIG.
 */
export async function openRedis(endpoint: Endpoint, settings: ConnectionSettings): Promise<Redis> {
  const state = { ready: false };
  const client = new Redis(boundedOptions(endpoint, settings, state));
  let lastError: Error | undefined;
  client.on('error', (error: Error) => { lastError = error; });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw connectionError(lastError ?? error, endpoint, settings);
  }
  state.ready = true;
  return client;
}

/** Open a Redis Cluster client on the given seeds, with the same settings on every node connection. */
export async function openCluster(seeds: Endpoint[], settings: ConnectionSettings): Promise<Cluster> {
  const first = seeds[0]!;
  const state = { ready: false };
  const node = boundedOptions(first, settings, state);
  const cluster = new Cluster(seeds.map(({ host, port }) => ({ host, port })), {
    lazyConnect: true,
    // Ready as soon as the slot map is loaded: a cluster in `fail` state must still be probed (and reported).
    enableReadyCheck: false,
    enableOfflineQueue: true,
    clusterRetryStrategy: (times) => (state.ready && times <= RECONNECT_ATTEMPTS ? 50 * 2 ** (times - 1) : null),
    slotsRefreshTimeout: settings.connectTimeoutMs,
    maxRedirections: 4,
    retryDelayOnClusterDown: 50,
    redisOptions: {
      connectTimeout: node.connectTimeout, commandTimeout: node.commandTimeout, maxRetriesPerRequest: node.maxRetriesPerRequest,
      connectionName: node.connectionName, disableClientInfo: true,
      ...(first.username ? { username: first.username } : {}),
      ...(first.password ? { password: first.password } : {}),
      ...(first.tls ? { tls: {} } : {}),
    },
  });
  // A node's own error ("WRONGPASS …", "ECONNREFUSED") says more than the cluster's summary of it.
  let nodeError: Error | undefined;
  let clusterError: Error | undefined;
  cluster.on('error', (error: Error) => { clusterError = error; });
  cluster.on('node error', (error: Error) => { nodeError = error; });
  try {
    await cluster.connect();
  } catch (error) {
    cluster.disconnect();
    throw connectionError(nodeError ?? clusterError ?? error, first, settings);
  }
  state.ready = true;
  return cluster;
}

/** Turn a connect failure into a ProbeError with a stable code and a next step. */
export function connectionError(error: unknown, endpoint: Endpoint, settings: Pick<ConnectionSettings, 'connectTimeoutMs'>): ProbeError {
  const where = addressOf(endpoint);
  const message = messageOf(error);
  const code = systemCode(error);
  if (/^(WRONGPASS|NOAUTH|ERR invalid password|ERR AUTH|ERR Client sent AUTH)/i.test(message)) {
    const missing = /^NOAUTH/i.test(message);
    return new ProbeError(ProbeErrorCode.AUTH, `Redis at ${where} ${missing ? 'requires a password and the URL has none' : 'refused the credentials'} (${message.split(/[.,]/)[0]})`, {
      cause: error, hint: 'check the user and password in the URL',
    });
  }
  if (/^NOPERM/i.test(message)) {
    return new ProbeError(ProbeErrorCode.AUTH, `the Redis user lacks a permission the probe needs at ${where}: ${message}`, {
      cause: error, hint: 'grant the probe user +@read +@write +info +slowlog +latency +client|kill on ~probe:* (see the README)',
    });
  }
  if (/Unknown RESP type|Protocol error|ERR_REDIS_PARSER/i.test(message)) {
    return new ProbeError(ProbeErrorCode.CONFIG, `the server at ${where} does not speak the Redis protocol (${message})`, {
      cause: error, hint: 'check the port: it may be an HTTP or TLS endpoint (use rediss:// for TLS)',
    });
  }
  if (code === 'ETIMEDOUT' || /connect ETIMEDOUT|timed out/i.test(message)) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, `no answer from Redis at ${where} within ${settings.connectTimeoutMs} ms`, {
      cause: error, hint: 'check host, port and firewalls, or raise connectTimeoutMs',
    });
  }
  if (code || /Connection is closed|ECONN|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/i.test(message)) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, `cannot reach Redis at ${where}: ${message}`, {
      cause: error, hint: 'is Redis running there? check the host and port in the URL',
    });
  }
  return new ProbeError(ProbeErrorCode.UNREACHABLE, `cannot connect to Redis at ${where}: ${message}`, { cause: error });
}
