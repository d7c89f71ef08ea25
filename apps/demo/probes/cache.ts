import { redis, sqlSource } from '@probe/cache';
import { PRODUCT_COLUMNS } from '../src/catalog/products.ts';
import { DEMO_PRODUCTS } from '../src/db/seed.ts';
import type { Stores } from './stores.ts';
import { bearer, type DemoTargets } from './targets.ts';

/**
 * The product cache: its entries under `demo:`, invalidation through the API
 * (PATCH a product → its entry must go), and every cached product against its
 * row in PostgreSQL (the source of truth).
 */
export function cacheProbe(targets: DemoTargets, stores: Stores) {
  const { names } = targets;
  const product = DEMO_PRODUCTS[0];
  return redis({
    name: 'product-cache',
    url: targets.redisUrl,
    keyPrefix: names.keyPrefix,
    invalidation: {
      key: names.productKey(product.id),
      prime: { url: `${targets.url}/products/${product.id}`, method: 'GET' },
      // Renaming a product to its own name is still an update: its cached entry must go.
      action: { url: `${targets.url}/products/${product.id}`, method: 'PATCH', body: { name: product.name }, headers: bearer(targets, 'admin') },
    },
    sourceOfTruth: [{
      pattern: `${names.keyPrefix}product:*`,
      load: sqlSource(stores.db, `select ${PRODUCT_COLUMNS} from products where id = $1`, { params: (key) => [Number(key.split(':').at(-1))] }),
    }],
    // The demo shares two cores with its own service, Kafka and the rest: p99 over a 150-command burst
    // reaches tens of ms there while nothing is wrong. On a real cache, keep the defaults (10 / 50 ms).
    thresholds: { latencyP99WarnMs: 50, latencyP99FailMs: 250 },
  });
}
