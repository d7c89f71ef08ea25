import type { Redis } from 'ioredis';
import type { Product } from '../catalog/products.ts';
import type { Logger } from '../log.ts';

/** Cached product entries live a minute at most, so a missed invalidation heals eventually. */
export const PRODUCT_TTL_SECONDS = 60;

/**
 * Cache-aside for product reads: `<prefix>product:<id>` holds the product's JSON.
 * The cache is an optimisation, never a dependency: a slow or unreachable Redis
 * makes reads go to PostgreSQL (`bypass`) and is logged, it does not fail a request.
 */
export interface ProductCache {
  /** The cached product and whether it was a hit, a miss, or the cache did not answer (`bypass`). */
  get(id: number): Promise<{ product?: Product; cache: 'hit' | 'miss' | 'bypass' }>;
  /** Fill the entry after a miss, without waiting for it. */
  fill(product: Product): void;
  /** Drop the entries of products that changed (a no-op under the `staleProductCache` defect). */
  invalidate(ids: readonly number[]): Promise<void>;
}

/**
 * Drop every product entry: a restart may follow a build whose cache logic differed
 * (here, `--defects`, which never invalidates), so the service does not serve what it left.
 */
export async function clearProductCache(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let cleared = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    if (keys.length) cleared += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return cleared;
}

export function createProductCache(redis: Redis, key: (id: number) => string, options: { staleProductCache: boolean; log: Logger }): ProductCache {
  const { log } = options;
  return {
    async get(id) {
      try {
        const cached = await redis.get(key(id));
        return cached === null ? { cache: 'miss' } : { product: JSON.parse(cached) as Product, cache: 'hit' };
      } catch (error) {
        log.error(`cache: GET ${key(id)} failed, reading from PostgreSQL: ${(error as Error).message}`);
        return { cache: 'bypass' };
      }
    },
    fill(product) {
      redis.set(key(product.id), JSON.stringify(product), 'EX', PRODUCT_TTL_SECONDS)
        .catch((error: Error) => log.error(`cache: SET ${key(product.id)} failed: ${error.message}`));
    },
    async invalidate(ids) {
      if (options.staleProductCache || ids.length === 0) return;
      // A DEL whose reply is lost may still have happened; the TTL bounds the damage when it did not.
      await redis.del(...ids.map(key)).catch((error: Error) => log.error(`cache: DEL ${ids.map(key).join(' ')} failed: ${error.message}`));
    },
  };
}
