import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.schema.foreign-key-indexes';
const PARENTS = 'create table customers (id int primary key, tenant int, unique (tenant, id)); ';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('fails naming each foreign key without an index, with the CREATE INDEX that fixes it', async () => {
    const fx = await db.fixture(`${PARENTS}
      create table orders (id int primary key, customer_id int references customers);
      create table invoices (id int primary key, tenant int, customer_id int, foreign key (tenant, customer_id) references customers (tenant, id));
      create index on invoices (customer_id, tenant);`);
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 of 2 foreign keys has no index: orders(customer_id)');
    expect(result.evidence.without_index).toEqual([{ table: 'orders', foreign_key: 'orders_customer_id_fkey', columns: ['customer_id'], suggestion: 'create index concurrently on orders (customer_id);' }]);
  });

  it('does not count an index whose leading column is not the foreign key', async () => {
    const fx = await db.fixture(`${PARENTS}
      create table orders (id int primary key, placed date, customer_id int references customers);
      create index on orders (placed, customer_id);`);
    expect(only(await fx.probe([ID]), ID).status).toBe('fail');
  });

  it('warns when the only index is partial', async () => {
    const fx = await db.fixture(`${PARENTS}
      create table orders (id int primary key, customer_id int references customers);
      create index on orders (customer_id) where customer_id > 100;`);
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toBe('1 foreign key has only a partial or non-btree index: orders(customer_id)');
  });

  it('passes when every foreign key is indexed (multi-column in any order)', async () => {
    const fx = await db.fixture(`${PARENTS}
      create table orders (id int primary key, customer_id int references customers);
      create index on orders (customer_id);
      create table invoices (id int primary key, tenant int, customer_id int, foreign key (tenant, customer_id) references customers (tenant, id));
      create index on invoices (customer_id, tenant, id);`);
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('all 2 foreign keys have an index on their referencing columns');
  });
});
