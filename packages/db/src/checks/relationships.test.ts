import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.integrity.relationships';
const PARENTS = 'create table customers (id int primary key); insert into customers values (1), (2);';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('passes when declared foreign keys exist with the declared ON DELETE and soft relationships have no orphans', async () => {
    const fx = await db.fixture(`${PARENTS}
      create table orders (id int primary key, customer_id int references customers on delete cascade);
      create table visits (id int primary key, customer_id int);
      insert into visits values (1, 1), (2, null);`);
    const result = only(await fx.probe([ID], { expect: {
      foreignKeys: ['orders.customer_id -> customers.id on delete cascade'],
      relationships: ['visits.customer_id -> customers.id'],
    } }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('all 2 declared relationships hold (foreign keys exist, no orphaned rows)');
  });

  it('fails on a missing foreign key, a different ON DELETE, and orphaned rows (with the rows and the query)', async () => {
    const fx = await db.fixture(`${PARENTS}
      create table orders (id int primary key, customer_id int);
      create table invoices (id int primary key, customer_id int references customers);
      create table visits (id int primary key, customer_id int);
      insert into visits values (1, 1), (2, 7), (3, 9);`);
    const result = only(await fx.probe([ID], { expect: {
      foreignKeys: ['orders.customer_id -> customers.id', 'invoices.customer_id -> customers.id on delete cascade'],
      relationships: ['visits.customer_id -> customers.id'],
    } }), ID);
    expect(result.status).toBe('fail');
    const findings = result.evidence.findings as { relationship: string; detail: string; orphans?: unknown[]; reproduce?: string }[];
    expect(findings.map((finding) => finding.detail)).toEqual([
      `no foreign key ${fx.schema}.orders(customer_id) references ${fx.schema}.customers`,
      'invoices_customer_id_fkey is ON DELETE NO ACTION, declared CASCADE',
      `2 orphaned rows in ${fx.schema}.visits`,
    ]);
    expect(findings[2]!.orphans).toEqual([{ customer_id: 7 }, { customer_id: 9 }]);
    expect(findings[2]!.reproduce).toMatch(/-c 'select c\."customer_id" from "fx_\w+"\."visits" c where c\."customer_id" is not null and not exists \(select 1 from "fx_\w+"\."customers" p where p\."id" = c\."customer_id"\) limit 5'$/);
  });

  it('warns on a NOT VALID foreign key without orphans', async () => {
    const fx = await db.fixture(`${PARENTS}
      create table orders (id int primary key, customer_id int);
      alter table orders add constraint orders_customer foreign key (customer_id) references customers not valid;`);
    const result = only(await fx.probe([ID], { expect: { foreignKeys: ['orders.customer_id -> customers.id'] } }), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/orders_customer is NOT VALID \(the server never checked existing rows; the probe found no orphans\)$/);
  });
});
