import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.query.performance';
const SCHEMA = 'create table orders (id int primary key, quantity int); insert into orders select g, g % 7 from generate_series(1, 200) g;';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('passes with the median of the timed runs when every query is within budget', async () => {
    const fx = await db.fixture(SCHEMA);
    const result = only(await fx.probe([ID], { queries: [
      { name: 'order by id', sql: 'select * from orders where id = $1', params: [5], maxMs: 200 },
      { name: 'bump quantity', sql: 'update orders set quantity = quantity + 1 where id = $1', params: [5], maxMs: 200 },
    ] }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^2 declared queries: order by id [\d.]+ ms \(≤ 200\), bump quantity [\d.]+ ms \(≤ 200\)$/);
    expect(result.metrics.map((metric) => metric.name)).toEqual(['queries.order_by_id.median_ms', 'queries.bump_quantity.median_ms']);
    expect((result.evidence.timings as { runs_ms: number[] }[])[0]!.runs_ms).toHaveLength(5);
    expect((await fx.sql('select quantity from orders where id = 5')).rows).toEqual([{ quantity: 5 }]);
  });

  it('fails naming the query over budget, with the median and a reproduction', async () => {
    const fx = await db.fixture(SCHEMA);
    const result = only(await fx.probe([ID], { queries: [{ name: 'slow report', sql: 'select pg_sleep(0.03), count(*) from orders', maxMs: 5 }] }), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^1 of 1 declared queries over budget: slow report \(median 3\d(\.\d)? ms > 5 ms\)$/);
    expect((result.evidence.timings as { reproduce: string }[])[0]!.reproduce).toMatch(/-c 'begin read only; select pg_sleep\(0\.03\), count\(\*\) from orders; rollback;'$/);
  });

  it('fails when a query hits the statement timeout, without blocking longer than that', async () => {
    const fx = await db.fixture(SCHEMA);
    const started = performance.now();
    const result = only(await fx.probe([ID], { session: { statementTimeoutMs: 150 }, queries: [{ name: 'stuck', sql: 'select pg_sleep(2)', maxMs: 100 }] }), ID);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 of 1 declared queries over budget: stuck (hit statement_timeout)');
  });

  it('reports a query that does not run as a config error naming it', async () => {
    const fx = await db.fixture(SCHEMA);
    const result = only(await fx.probe([ID], { queries: [{ name: 'typo', sql: 'select * form orders' }] }), ID);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG' } });
    expect(result.error!.message).toBe('queries[0] (typo) failed: syntax error at or near "form" (SQLSTATE 42601) — fix the declared query');
  });

  it('is skipped under --read-only when a declared query writes', async () => {
    const fx = await db.fixture(SCHEMA);
    const result = only(await fx.probe([ID], { queries: [{ name: 'bump', sql: 'update orders set quantity = 0' }] }, { readOnly: true }), ID);
    expect(result.status).toBe('skip');
  });
});
