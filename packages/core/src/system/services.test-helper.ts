import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import type { SystemTarget } from './types.ts';

/** The real services (tooling/services puts them in the env; unset when missing, and the tests skip). */
export const PG_URL = process.env.PROBE_PG_URL;
export const REDIS_URL = process.env.PROBE_REDIS_URL;
/** True when PostgreSQL or Redis is missing: `describe.skipIf(servicesMissing)`. */
export const servicesMissing = !PG_URL || !REDIS_URL;

/** One pool and one Redis client per test file. */
export interface Services {
  pool: pg.Pool;
  redis: Redis;
}

/** Open the services in `beforeAll`, close them in `afterAll`. */
export function useServices(): Services {
  const services = {} as Services;
  beforeAll(() => {
    services.pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
    services.redis = new Redis(REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await services.pool?.end();
    services.redis?.disconnect();
  });
  return services;
}

/** A test's own namespace: a PostgreSQL schema and a Redis key prefix, both removed when the test finishes. */
export interface Scratch {
  /** `sys_test_<random>`: quote nothing, it is a plain identifier. */
  schema: string;
  /** `sys-test:<random>:` */
  prefix: string;
}

/** Create the test's schema; drop it and delete the prefix's keys when the test finishes (pass or fail). */
export async function scratch(services: Services, context: Pick<TestContext, 'onTestFinished'>): Promise<Scratch> {
  const id = randomBytes(4).toString('hex');
  const namespace: Scratch = { schema: `sys_test_${id}`, prefix: `sys-test:${id}:` };
  await services.pool.query(`create schema ${namespace.schema}`);
  context.onTestFinished(async () => {
    await services.pool.query(`drop schema if exists ${namespace.schema} cascade`);
    const keys = await scanKeys(services.redis, `${namespace.prefix}*`);
    if (keys.length > 0) await services.redis.del(...keys);
  });
  return namespace;
}

/** Every key matching a pattern (SCAN, never KEYS), sorted. */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

/** The PostgreSQL target, its version read with `select version()` (`PostgreSQL 15.20 (Debian …) on x86_64…`). */
export function pgTarget(services: Services, name = 'orders-db'): SystemTarget {
  return {
    name,
    url: PG_URL!,
    version: async () => (await services.pool.query<{ version: string }>('select version()')).rows[0]!.version,
  };
}

/** The Redis target, its version from `INFO server`, and PING as its round trip. */
export function redisTarget(services: Services, name = 'cache'): SystemTarget {
  return {
    name,
    url: REDIS_URL!,
    version: async () => /redis_version:(\S+)/.exec(await services.redis.info('server'))?.[1] ?? 'unknown',
    ping: async () => { await services.redis.ping(); },
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
