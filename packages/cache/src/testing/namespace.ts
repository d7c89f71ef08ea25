import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { endpointOf, openRedis } from '../connection.ts';
import { escapeGlob } from '../util.ts';

/** Options of {@link createRedisNamespace}. */
export interface RedisNamespaceOptions {
  /** The Redis to use (default: `PROBE_REDIS_URL`, then `REDIS_URL`). */
  url?: string;
  /**
   * A database index the test owns outright: the namespace is the whole db
   * (no prefix), which must be empty at the start. Without it, the namespace
   * is a key prefix in the URL's db.
   */
  db?: number;
  /** The prefix (default `test:<random>:`). Ignored with `db`. */
  prefix?: string;
  /** Bound on connecting and on each command, in ms (default 2 000). */
  timeoutMs?: number;
}

/** A namespaced Redis for one test. */
export interface RedisNamespace {
  /** A URL to hand to the code under test (its db is the namespace's). */
  url: string;
  /** The key prefix (`''` for a db namespace). */
  prefix: string;
  /** `prefix + name`: the full key, for code that does not use {@link RedisNamespace.client}. */
  key(name: string): string;
  /** An ioredis client whose keys are prefixed automatically (`client.set('a', …)` writes `<prefix>a`). */
  client: Redis;
  /** Every key in the namespace, full names (SCAN, never KEYS). */
  keys(): Promise<string[]>;
  /** UNLINK every key in the namespace and close the client; returns how many were removed. Idempotent. */
  cleanup(): Promise<number>;
}

/**
 * A namespace of its own on a shared Redis for one test, so tests run
 * concurrently and leave nothing behind:
 *
 * ```ts
 * let redis: RedisNamespace;
 * beforeEach(async () => { redis = await createRedisNamespace(); });
 * afterEach(() => redis.cleanup());
 * ```
 *
 * Cleanup removes keys with SCAN + UNLINK (no FLUSHDB, even in db mode).
 */
export async function createRedisNamespace(options: RedisNamespaceOptions = {}): Promise<RedisNamespace> {
  const base = options.url ?? process.env.PROBE_REDIS_URL ?? process.env.REDIS_URL;
  if (!base) throw new Error('createRedisNamespace: no Redis URL; pass `url`, or set PROBE_REDIS_URL or REDIS_URL (startRedis() gives one)');
  const url = options.db === undefined ? base : withDb(base, options.db);
  const prefix = options.db === undefined ? options.prefix ?? `test:${randomBytes(6).toString('hex')}:` : '';
  const timeoutMs = options.timeoutMs ?? 2_000;
  const settings = { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs, connectionName: 'probe-test-namespace' };
  const admin = await openRedis(endpointOf(url), settings);
  if (options.db !== undefined) {
    const size = await admin.dbsize();
    if (size > 0) {
      admin.disconnect();
      throw new Error(`createRedisNamespace: db ${options.db} holds ${size} keys; a db namespace needs an empty db of its own (or use a prefix)`);
    }
  }
  const client = await openRedis(endpointOf(url), { ...settings, ...(prefix ? { keyPrefix: prefix } : {}) });
  const match = `${escapeGlob(prefix)}*`;
  const keys = async () => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', match, 'COUNT', 1_000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };
  let cleaned: Promise<number> | undefined;
  return {
    url,
    prefix,
    key: (name) => `${prefix}${name}`,
    client,
    keys,
    cleanup: () => (cleaned ??= (async () => {
      try {
        let removed = 0;
        let cursor = '0';
        do {
          const [next, batch] = await admin.scanBuffer(cursor, 'MATCH', match, 'COUNT', 1_000);
          cursor = next.toString();
          if (batch.length > 0) removed += await admin.unlink(...batch);
        } while (cursor !== '0');
        return removed;
      } finally {
        client.disconnect();
        admin.disconnect();
      }
    })()),
  };
}

function withDb(url: string, db: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${db}`;
  return parsed.toString();
}
