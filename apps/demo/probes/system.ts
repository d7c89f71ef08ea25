import { system } from '@probe/core';
import { PRODUCT_COLUMNS, type Product } from '../src/catalog/products.ts';
import { DEMO_USERS } from '../src/db/seed.ts';
import { FLOW_CUSTOMER, FLOW_PRODUCT_ID, orderPlacedFlow } from './flow.ts';
import type { Stores } from './stores.ts';
import type { DemoTargets } from './targets.ts';

/**
 * The service as a whole: its dependencies (reachable, in supported versions),
 * the order flow across all of them, the outbox carrying what the orders say,
 * the cache against PostgreSQL, and proof that the flow left nothing behind.
 */
export function systemProbe(targets: DemoTargets, stores: Stores) {
  const { db, withRedis } = stores;
  const productKeys = `${targets.names.keyPrefix}product:`;
  const snapshots = new Map<string, Promise<OrderSnapshot>>();
  const snapshot = (runId: string) => {
    if (!snapshots.has(runId)) snapshots.set(runId, readOrderSnapshot(stores, targets.names.orderCreated));
    return snapshots.get(runId)!;
  };
  return system({
    name: 'order-service',
    targets: [
      {
        name: 'orders-api', url: targets.url,
        version: async ({ signal }) => ((await (await fetch(`${targets.url}/openapi.json`, { signal })).json()) as { info: { version: string } }).info.version,
        ping: async ({ signal }) => { if (!(await fetch(`${targets.url}/health`, { signal })).ok) throw new Error('GET /health is not 200'); },
      },
      { name: 'orders-db', url: targets.databaseUrl, version: async () => (await db.query<{ version: string }>("select current_setting('server_version') as version")).rows[0]!.version, ping: () => db.query('select 1') },
      { name: 'product-cache', url: targets.redisUrl, version: () => withRedis(async (redis) => /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown') },
      ...targets.kafkaBrokers.map((broker, index) => ({ name: `kafka-${index + 1}`, url: `kafka://${broker}` })),
      ...(targets.paymentsUrl ? [{ name: 'payments', url: targets.paymentsUrl }] : []),
    ],
    versions: { 'orders-api': '^1', 'orders-db': '>=14', 'product-cache': '>=6' },
    checks: [orderPlacedFlow(targets)],
    pipelines: [{
      name: 'order-events',
      title: 'Every order has its order.created event in the outbox, carrying the order\'s customer and total',
      source: async ({ runId }) => (await snapshot(runId)).orders,
      transform: (row) => ({ orderId: row.id, customerId: row.customer_id, totalCents: row.total_cents }),
      sink: async ({ runId }) => (await snapshot(runId)).events,
      key: 'orderId',
    }],
    drift: {
      stores: [
        {
          name: 'orders-db',
          keys: async () => (await db.query<{ id: number }>('select id::int as id from products')).rows.map((row) => row.id),
          read: async (ids) => new Map((await db.query<Product>(`select ${PRODUCT_COLUMNS} from products where id = any($1::bigint[])`, [ids])).rows.map((row) => [row.id, row])),
        },
        {
          name: 'product-cache', subset: true,
          keys: () => withRedis(async (redis) => (await scanAll(redis, `${productKeys}*`)).map((key) => key.slice(productKeys.length))),
          read: (ids) => withRedis(async (redis) => {
            const values = ids.length ? await redis.mget(ids.map((id) => `${productKeys}${id}`)) : [];
            return new Map(ids.flatMap((id, index) => (values[index] ? [[id, JSON.parse(values[index]!) as unknown] as const] : [])));
          }),
        },
      ],
    },
    isolation: [{
      target: 'orders-db',
      // What the flow touches: its customer's orders and its product. It must cancel its order and give the stock back.
      fingerprint: async () => ({
        orders: (await db.query('select id, status from orders where customer_id = $1 order by id', [DEMO_USERS[FLOW_CUSTOMER].id])).rows,
        product: (await db.query('select stock, price_cents, name from products where id = $1', [FLOW_PRODUCT_ID])).rows[0],
      }),
    }],
  });
}

interface OrderSnapshot {
  orders: Record<string, unknown>[];
  events: Record<string, unknown>[];
}

/**
 * The orders, and the order.created events of orders that still exist, read in one
 * REPEATABLE READ snapshot, so orders placed meanwhile by other probes cannot make
 * the two sides of the pipeline differ.
 */
async function readOrderSnapshot(stores: Stores, topic: string): Promise<OrderSnapshot> {
  const client = await stores.db.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const orders = (await client.query('select id, customer_id::int as customer_id, total_cents from orders')).rows;
    const events = (await client.query(
      `select payload->>'orderId' as "orderId", (payload->>'customerId')::int as "customerId", (payload->>'totalCents')::int as "totalCents"
         from outbox where topic = $1 and exists (select 1 from orders where id = (payload->>'orderId')::uuid)`,
      [topic],
    )).rows;
    return { orders, events };
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

async function scanAll(redis: import('ioredis').Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0' && keys.length < 10_000);
  return keys;
}
