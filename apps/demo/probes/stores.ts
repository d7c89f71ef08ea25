import { Redis } from 'ioredis';
import pg from 'pg';
import type { DemoTargets } from './targets.ts';

/** Direct connections to the service's stores, for the hooks of the cache and system probes. */
export interface Stores {
  /** The service's database; idle connections do not keep the process alive. */
  db: pg.Pool;
  /** One short-lived Redis connection per call. */
  withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T>;
}

export function openStores(targets: DemoTargets): Stores {
  const db = new pg.Pool({ connectionString: targets.databaseUrl, max: 3, allowExitOnIdle: true, idleTimeoutMillis: 1_000, application_name: 'probe-demo-hooks' });
  db.on('error', () => {});
  return {
    db,
    async withRedis(use) {
      const redis = new Redis(targets.redisUrl, { lazyConnect: true, connectTimeout: 2_000, commandTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => {});
      try {
        await redis.connect();
        return await use(redis);
      } finally {
        redis.disconnect();
      }
    },
  };
}
