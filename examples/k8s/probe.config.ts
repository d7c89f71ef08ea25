// The run every shard executes (each runs its own part of it: --shard i/N). Mounted from the
// probe-config ConfigMap at /app/config/probe.config.ts; its imports resolve from /app/node_modules
// in the image (see Dockerfile). Every URL and password comes from the pod's environment.
import { defineConfig, system } from '@probe/core';
import { redis } from '@probe/cache';
import { postgres } from '@probe/db';
import { Redis } from 'ioredis';
import pg from 'pg';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the Job's env provides it`);
  return value;
};
const dbUrl = env('SHOP_DB_URL');
const cacheUrl = env('SHOP_CACHE_URL');
const apiUrl = env('SHOP_API_URL');

/** One short-lived connection per hook call, so nothing stays open after the run. */
async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: dbUrl, statement_timeout: 2_000 });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function withCache<T>(use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(cacheUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

export default defineConfig({
  secrets: [process.env.SHOP_DB_PASSWORD ?? '', process.env.SHOP_CACHE_PASSWORD ?? ''].filter(Boolean),
  probes: [
    postgres({
      name: 'orders-db',
      url: dbUrl,
      expect: { foreignKeys: ['orders.customer_id -> customers.id'], unique: ['customers.email'] },
      credentials: { tryWrongPassword: false },   // failed logins page someone in production
    }),
    redis({ name: 'cache', url: cacheUrl, keyPrefix: 'product:' }),
    system({
      name: 'shop',
      targets: [
        { name: 'orders-db', url: dbUrl, version: async () => (await query<{ version: string }>('select version()'))[0]!.version },
        { name: 'cache', url: cacheUrl, version: () => withCache(async (client) => /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown') },
        { name: 'orders-api', url: apiUrl, ping: async ({ signal }) => { const response = await fetch(`${apiUrl}/health`, { signal }); if (!response.ok) throw new Error(`GET /health → ${response.status}`); } },
      ],
      versions: { 'orders-db': '>=14 <18', cache: '>=6.2' },
      drift: {
        stores: [
          {
            name: 'orders-db',
            keys: async () => (await query<{ id: number }>('select id from products')).map((row) => row.id),
            read: async (keys) => new Map((await query<{ id: number }>('select id, name, price_cents from products where id = any($1::int[])', [keys])).map((row) => [row.id, row])),
          },
          {
            name: 'cache',
            subset: true,   // cache-aside: holds some products; stale or wrong entries are drift
            keys: () => withCache(async (client) => {
              const keys: string[] = [];
              let cursor = '0';
              do {
                const [next, batch] = await client.scan(cursor, 'MATCH', 'product:*', 'COUNT', 500);
                keys.push(...batch.map((key) => key.slice('product:'.length)));
                cursor = next;
              } while (cursor !== '0' && keys.length < 10_000);
              return keys;
            }),
            read: (keys) => withCache(async (client) => {
              const values = keys.length > 0 ? await client.mget(...keys.map((key) => `product:${key}`)) : [];
              return new Map(keys.flatMap((key, index) => (values[index] ? [[key, JSON.parse(values[index]!) as unknown] as const] : [])));
            }),
          },
        ],
        sample: 500,
      },
    }),
  ],
});
