import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.integrity.consistency';
const SCHEMA = `
  create table orders (id int primary key, status text not null, total numeric not null);
  create table payments (id int primary key, order_id int not null, amount numeric not null);`;
const INVARIANT = { name: 'every paid order has a payment', sql: "select o.id from orders o where o.status = 'paid' and not exists (select 1 from payments p where p.order_id = o.id)" };

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('passes when no invariant returns a row', async () => {
    const fx = await db.fixture(`${SCHEMA} insert into orders values (1, 'paid', 10), (2, 'new', 5); insert into payments values (1, 1, 10);`);
    const result = only(await fx.probe([ID], { expect: { invariants: [INVARIANT] } }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('all 1 invariant hold (no violating rows)');
  });

  it('fails with the violating rows and the query to see them', async () => {
    const fx = await db.fixture(`${SCHEMA} insert into orders values (1, 'paid', 10), (2, 'paid', 5); insert into payments values (1, 1, 10);`);
    const result = only(await fx.probe([ID], { expect: { invariants: [INVARIANT] } }), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 invariant of 1 violated: every paid order has a payment (1 rows)');
    const [finding] = result.evidence.findings as { sample: unknown[]; reproduce: string }[];
    expect(finding!.sample).toEqual([{ id: 2 }]);
    expect(finding!.reproduce).toMatch(/^psql '.*' -c 'select \* from \(select o\.id from orders o where o\.status = '\\''paid'\\''/);
  });

  it('checks rows against NOT VALID constraints without any declaration', async () => {
    const fx = await db.fixture(`${SCHEMA} insert into orders values (1, 'paid', -1);
      insert into payments values (1, 42, 10);
      alter table orders add constraint total_positive check (total > 0) not valid;
      alter table payments add constraint payments_order foreign key (order_id) references orders not valid;`);
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('fail');
    expect((result.evidence.findings as { invariant: string; violations: number }[]).map((finding) => [finding.invariant, finding.violations])).toEqual([
      [`${fx.schema}.orders CHECK ((total > (0)::numeric)) NOT VALID`, 1],
      [`${fx.schema}.payments FOREIGN KEY (order_id) REFERENCES orders(id) NOT VALID`, 1],
    ]);
  });

  it('reports an invariant that is not a SELECT as a config error, and never runs its writes', async () => {
    const fx = await db.fixture(`${SCHEMA} insert into orders values (1, 'paid', 10);`);
    const writes = only(await fx.probe([ID], { expect: { invariants: [{ name: 'sneaky', sql: 'delete from orders returning id' }] } }), ID);
    expect(writes).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG' } });
    expect(writes.error!.message).toMatch(/^expect\.invariants\[0\] \(sneaky\) failed: syntax error at or near "from" \(SQLSTATE 42601\) — the invariant must be a SELECT/);
    expect((await fx.sql('select count(*)::int as n from orders')).rows).toEqual([{ n: 1 }]);
    const bad = only(await fx.probe([ID], { expect: { invariants: [{ name: 'typo', sql: 'selec 1' }] } }), ID);
    expect(bad.error!.message).toMatch(/^expect\.invariants\[0\] \(typo\) failed: syntax error at or near "1" \(SQLSTATE 42601\)/);
  });

  it('runs invariants read-only: a function that writes is refused by the server', async () => {
    const fx = await db.fixture(`${SCHEMA} insert into orders values (1, 'paid', 10);
      create function purge() returns setof int language sql as 'delete from orders returning id';`);
    const result = only(await fx.probe([ID], { expect: { invariants: [{ name: 'purging', sql: 'select * from purge()' }] } }), ID);
    expect(result.error!.message).toMatch(/cannot execute DELETE in a read-only transaction \(SQLSTATE 25006\)/);
    expect((await fx.sql('select count(*)::int as n from orders')).rows).toEqual([{ n: 1 }]);
  });

  it('skips when nothing is declared and no constraint is NOT VALID', async () => {
    const fx = await db.fixture(SCHEMA);
    expect(only(await fx.probe([ID]), ID).status).toBe('skip');
  });
});
