import { describe, expect, it } from 'vitest';
import { runChecked } from '../../../test/helpers.ts';
import { system } from '../system-probe.ts';
import { pgTarget, scanKeys, scratch, servicesMissing, useServices, type Scratch, type Services } from '../services.test-helper.ts';
import type { DataRow, PipelineOptions } from '../types.ts';
import type { DivergingKey } from './pipeline.ts';

/**
 * The pipeline under test: orders (amounts in cents, lower-case status) are loaded into
 * a warehouse table (amounts in currency units, upper-case status), cancelled orders left out.
 */
async function runPipeline(services: Services, { schema }: Scratch): Promise<void> {
  await services.pool.query(`create table ${schema}.orders (id int primary key, customer text not null, amount_cents int not null, status text not null)`);
  await services.pool.query(`insert into ${schema}.orders select i, 'c' || (i % 7), i * 125, case when i % 10 = 0 then 'cancelled' else 'paid' end from generate_series(1, 40) i`);
  await services.pool.query(`create table ${schema}.warehouse_orders (order_id int primary key, customer text, amount numeric(10, 2), status text)`);
  await services.pool.query(`insert into ${schema}.warehouse_orders select id, customer, amount_cents / 100.0, upper(status) from ${schema}.orders where status <> 'cancelled'`);
}

/** The test's model of the pipeline: what each source row should become. */
function ordersToWarehouse(services: Services, { schema }: Scratch, extra: Partial<PipelineOptions> = {}): PipelineOptions {
  return {
    name: 'orders-to-warehouse',
    source: async () => (await services.pool.query(`select * from ${schema}.orders`)).rows,
    transform: (row: DataRow) => (row.status === 'cancelled' ? undefined : {
      order_id: row.id, customer: row.customer, amount: (Number(row.amount_cents) / 100).toFixed(2), status: String(row.status).toUpperCase(),
    }),
    sink: async () => (await services.pool.query(`select * from ${schema}.warehouse_orders`)).rows,
    key: 'order_id',
    ...extra,
  };
}

const diverging = (evidence: unknown) => (evidence as { diverging: DivergingKey[] }).diverging;

describe.skipIf(servicesMissing)('data.pipeline.<name> (real PostgreSQL and Redis)', () => {
  const services = useServices();

  it('passes when the sink holds the transformed source: same count, same checksum over the sample', async (context) => {
    const namespace = await scratch(services, context);
    await runPipeline(services, namespace);
    const { results } = await runChecked([system({ targets: [pgTarget(services)], pipelines: [ordersToWarehouse(services, namespace)] })], { only: ['data.*'] });
    expect(results[0]).toMatchObject({ id: 'data.pipeline.orders-to-warehouse', status: 'pass' });
    expect(results[0]!.summary).toMatch(/^pipeline orders-to-warehouse: 36 rows in the sink as expected \(4 dropped by design\); 36 sampled keys match \(checksum [0-9a-f]{12}\)$/);
    expect(results[0]!.evidence).toMatchObject({ counts: { source: 40, expected: 36, sink: 36 }, sample: { keys: 36 } });
    expect(Object.fromEntries(results[0]!.metrics.map((metric) => [metric.name, metric.value]))).toEqual({
      'pipeline.source_rows': 40, 'pipeline.sink_rows': 36, 'pipeline.sampled': 36, 'pipeline.diverging': 0,
    });
  });

  it('fails when the pipeline drops a row, naming the missing key', async (context) => {
    const namespace = await scratch(services, context);
    await runPipeline(services, namespace);
    await services.pool.query(`delete from ${namespace.schema}.warehouse_orders where order_id = 17`);
    const { results } = await runChecked([system({ targets: [pgTarget(services)], pipelines: [ordersToWarehouse(services, namespace)] })], { only: ['data.*'] });
    expect(results[0]).toMatchObject({
      status: 'fail',
      summary: 'pipeline orders-to-warehouse: 36 rows expected, the sink holds 35; 1 of 36 sampled keys diverge (first: key 17 missing in the sink)',
    });
    expect(diverging(results[0]!.evidence)).toEqual([{ key: '17', kind: 'missing', expected: { order_id: 17, customer: 'c3', amount: '21.25', status: 'PAID' } }]);
  });

  it('fails on a wrong transformation and on rows that should not be there, showing the fields that differ', async (context) => {
    const namespace = await scratch(services, context);
    await runPipeline(services, namespace);
    await services.pool.query(`update ${namespace.schema}.warehouse_orders set amount = amount * 100 where order_id = 3`);
    await services.pool.query(`insert into ${namespace.schema}.warehouse_orders values (10, 'c3', 12.50, 'CANCELLED')`);
    await services.pool.query(`delete from ${namespace.schema}.warehouse_orders where order_id = 5`);
    const { results } = await runChecked([system({ targets: [pgTarget(services)], pipelines: [ordersToWarehouse(services, namespace)] })], { only: ['data.*'] });
    expect(results[0]!.status).toBe('fail');
    expect(results[0]!.summary).toBe('pipeline orders-to-warehouse: 3 of 37 sampled keys diverge (first: key 3 differs in amount)');
    expect(diverging(results[0]!.evidence).map((entry) => [entry.key, entry.kind])).toEqual([['3', 'differs'], ['5', 'missing'], ['10', 'extra']]);
    expect(diverging(results[0]!.evidence)[0]!.changes).toEqual([{ path: 'amount', kind: 'changed', before: '3.75', after: '375.00' }]);
  });

  it('compares a sample of keys, and spans stores: PostgreSQL rows into Redis JSON documents', async (context) => {
    const namespace = await scratch(services, context);
    await runPipeline(services, namespace);
    const multi = await services.redis.multi();
    const { rows } = await services.pool.query(`select * from ${namespace.schema}.orders where status = 'paid'`);
    for (const row of rows) multi.set(`${namespace.prefix}order:${row.id}`, JSON.stringify({ id: row.id, total: row.amount_cents / 100 }));
    await multi.exec();
    const pipeline: PipelineOptions = {
      name: 'orders-to-cache',
      source: async () => (await services.pool.query(`select id, amount_cents, status from ${namespace.schema}.orders`)).rows,
      transform: (row) => (row.status === 'paid' ? { id: row.id, total: Number(row.amount_cents) / 100 } : null),
      sink: async () => {
        const keys = await scanKeys(services.redis, `${namespace.prefix}order:*`);
        return (await services.redis.mget(...keys)).map((value) => JSON.parse(value!) as DataRow);
      },
      key: (row) => row.id as number,
      sample: 10,
    };
    const { results } = await runChecked([system({ targets: [pgTarget(services)], pipelines: [pipeline] })], { only: ['data.*'] });
    expect(results[0]).toMatchObject({ status: 'pass', evidence: { counts: { source: 40, expected: 36, sink: 36 }, sample: { keys: 10 } } });
  });

  it('errors when a hook fails, a row has no key, or a hook returns no rows, and fails on duplicate keys in the sink', async (context) => {
    const namespace = await scratch(services, context);
    await runPipeline(services, namespace);
    const base = ordersToWarehouse(services, namespace);
    const probe = system({
      targets: [pgTarget(services)],
      pipelines: [
        { ...base, name: 'broken-source', source: async () => (await services.pool.query('select * from no_such_table')).rows },
        { ...base, name: 'no-key', key: 'missing_column' },
        { ...base, name: 'not-rows', sink: async () => services.pool.query(`select 1`) as never },
        { ...base, name: 'bad-transform', transform: () => { throw new Error('boom'); } },
        { ...base, name: 'duplicates', sink: async () => [...(await base.sink({} as never)), { order_id: 1, customer: 'c1', amount: '1.25', status: 'PAID' }] },
      ],
    });
    const { results } = await runChecked([probe], { only: ['data.*'] });
    const byId = Object.fromEntries(results.map((result) => [result.id.replace('data.pipeline.', ''), result]));
    expect(byId['broken-source']).toMatchObject({ status: 'error', error: { code: 'SYSTEM_ERR_HOOK', message: 'pipeline broken-source: source: relation "no_such_table" does not exist' } });
    expect(byId['no-key']).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/^pipeline no-key: transformed source row 1 has no key/) } });
    expect(byId['not-rows']).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/^pipeline not-rows: sink returned .+; expected an array of rows \(pg: result\.rows\)$/) } });
    expect(byId['bad-transform']).toMatchObject({ status: 'error', error: { code: 'SYSTEM_ERR_HOOK', message: 'pipeline bad-transform: transform threw on source row 1: boom' } });
    expect(byId.duplicates).toMatchObject({ status: 'fail', summary: 'pipeline duplicates: 36 rows expected, the sink holds 37; 1 key appears more than once in the sink (first: 1)' });
  });
});
