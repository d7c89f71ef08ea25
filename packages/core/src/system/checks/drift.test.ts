import { describe, expect, it } from 'vitest';
import { runChecked } from '../../../test/helpers.ts';
import { system } from '../system-probe.ts';
import { pgTarget, redisTarget, scanKeys, scratch, servicesMissing, useServices, type Scratch, type Services } from '../services.test-helper.ts';
import type { DriftStore } from '../types.ts';
import type { StoreDrift } from './drift.ts';

/** Products in PostgreSQL (the source of truth), a downstream copy, and a cache-aside Redis holding some of them. */
async function seed(services: Services, { schema, prefix }: Scratch): Promise<void> {
  await services.pool.query(`create table ${schema}.products (id int primary key, name text not null, price_cents int not null)`);
  await services.pool.query(`insert into ${schema}.products select i, 'product ' || i, i * 100 from generate_series(1, 30) i`);
  await services.pool.query(`create table ${schema}.search_products as select * from ${schema}.products`);
  const multi = services.redis.multi();
  for (let id = 1; id <= 10; id++) multi.set(`${prefix}product:${id}`, JSON.stringify({ id, name: `product ${id}`, price_cents: id * 100 }));
  await multi.exec();
}

function table(services: Services, schema: string, name: string, table: string): DriftStore {
  return {
    name,
    keys: async () => (await services.pool.query(`select id from ${schema}.${table}`)).rows.map((row) => row.id as number),
    read: async (keys) => {
      const { rows } = await services.pool.query(`select id, name, price_cents from ${schema}.${table} where id = any($1::int[])`, [keys]);
      return new Map(rows.map((row) => [row.id as number, row]));
    },
  };
}

function cache(services: Services, prefix: string): DriftStore {
  return {
    name: 'product-cache',
    subset: true,
    keys: async () => (await scanKeys(services.redis, `${prefix}product:*`)).map((key) => key.slice(`${prefix}product:`.length)),
    read: async (keys) => {
      const values = keys.length > 0 ? await services.redis.mget(...keys.map((key) => `${prefix}product:${key}`)) : [];
      return Object.fromEntries(keys.flatMap((key, index) => (values[index] === null ? [] : [[key, JSON.parse(values[index]!)]])));
    },
  };
}

const stores = (evidence: unknown) => (evidence as { stores: StoreDrift[] }).stores;

describe.skipIf(servicesMissing)('data.sync.drift (real PostgreSQL and Redis)', () => {
  const services = useServices();

  function probe(namespace: Scratch, extra: { threshold?: number; sample?: number } = {}) {
    return system({
      targets: [pgTarget(services), redisTarget(services)],
      drift: { stores: [table(services, namespace.schema, 'orders-db', 'products'), cache(services, namespace.prefix), table(services, namespace.schema, 'search', 'search_products')], ...extra },
    });
  }

  it('passes when the cache holds only current entries and the downstream copy is complete', async (context) => {
    const namespace = await scratch(services, context);
    await seed(services, namespace);
    const { results } = await runChecked([probe(namespace)], { only: ['data.sync.drift'] });
    expect(results[0]).toMatchObject({ status: 'pass', summary: 'no drift: product-cache (10 keys), search (30 keys) agree with orders-db' });
    expect(stores(results[0]!.evidence)[0]).toMatchObject({ store: 'product-cache', subset: true, keys: { reference: 30, store: 10 }, compared: 10, ratio: 0 });
    expect(results[0]!.metrics).toEqual([
      { name: 'drift.product-cache_ratio', value: 0, unit: 'ratio' }, { name: 'drift.search_ratio', value: 0, unit: 'ratio' },
    ]);
  });

  it('fails when the cache drifted from the table (a stale price, an entry for a deleted row) and the copy lost a row', async (context) => {
    const namespace = await scratch(services, context);
    await seed(services, namespace);
    await services.pool.query(`update ${namespace.schema}.products set price_cents = 999 where id = 4`);   // cache never invalidated
    await services.pool.query(`update ${namespace.schema}.search_products set price_cents = 999 where id = 4`);
    await services.pool.query(`delete from ${namespace.schema}.products where id = 7`);                   // nor evicted
    await services.pool.query(`delete from ${namespace.schema}.search_products where id in (7, 12)`);      // the copy lost 12
    const { results } = await runChecked([probe(namespace)], { only: ['data.sync.drift'] });
    expect(results[0]).toMatchObject({
      status: 'fail',
      summary: 'drift against orders-db: product-cache drifted on 20% of 10 keys (1 extra, 1 differing; first: key 4 price_cents: 999 in orders-db, 400 in product-cache); search drifted on 3.4% of 29 keys (1 missing; first: key 12 missing) — > 0% allowed',
    });
    const [cacheDrift, searchDrift] = stores(results[0]!.evidence);
    expect(cacheDrift).toMatchObject({ missing: 0, extra: 1, differing: 1, ratio: 0.2 });
    expect(cacheDrift!.examples).toEqual([
      { key: '4', kind: 'differs', reference: { id: 4, name: 'product 4', price_cents: 999 }, store: { id: 4, name: 'product 4', price_cents: 400 }, changes: ['price_cents: 999 in orders-db, 400 in product-cache'] },
      { key: '7', kind: 'extra', store: { id: 7, name: 'product 7', price_cents: 700 } },
    ]);
    expect(searchDrift).toMatchObject({ missing: 1, extra: 0, differing: 0, examples: [{ key: '12', kind: 'missing' }] });
  });

  it('warns when the drift is within the threshold, and samples keys', async (context) => {
    const namespace = await scratch(services, context);
    await seed(services, namespace);
    await services.pool.query(`delete from ${namespace.schema}.search_products where id = 30`);
    const { results } = await runChecked([probe(namespace, { threshold: 0.05, sample: 29 })], { only: ['data.sync.drift'] });
    expect(results[0]!.status).toBe('warn');
    expect(results[0]!.summary).toMatch(/within the 5% allowed$/);
    expect(stores(results[0]!.evidence)[1]!.compared).toBe(29);
  });

  it('errors when a store cannot be listed or read', async (context) => {
    const namespace = await scratch(services, context);
    await seed(services, namespace);
    const reference = table(services, namespace.schema, 'orders-db', 'products');
    const missing = table(services, namespace.schema, 'gone', 'no_such_table');
    const unreadable: DriftStore = { ...reference, name: 'weird', read: async () => [1, 2] as never };
    const run = (store: DriftStore) => runChecked([system({ targets: [pgTarget(services)], drift: { stores: [reference, store] } })], { only: ['data.sync.drift'] });
    expect((await run(missing)).results[0]).toMatchObject({ status: 'error', error: { code: 'SYSTEM_ERR_HOOK', message: expect.stringMatching(/^drift: keys of gone: relation ".+no_such_table" does not exist$/) } });
    expect((await run(unreadable)).results[0]).toMatchObject({ status: 'error', summary: 'drift: read of weird returned an array of 2; expected a Map (or object) of key → value' });
  });
});
