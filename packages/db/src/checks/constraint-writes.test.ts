import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';
import { postgres } from '../db-probe.ts';

const ID = 'db.query.constraints';

const SCHEMA = `
  create type status as enum ('new', 'paid');
  create table customers (id serial primary key, email text not null unique, name varchar(40) not null);
  create table orders (
    id bigint generated always as identity primary key,
    customer_id int not null references customers,
    quantity int not null constraint quantity_positive check (quantity > 0),
    status status not null default 'new',
    note text
  );`;

const DECLARED = {
  unique: ['customers.email'],
  notNull: ['orders.customer_id'],
  checks: [{ table: 'orders', name: 'quantity_positive', reject: { quantity: -1 } }],
  foreignKeys: ['orders.customer_id -> customers.id'],
};

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('proves each declared constraint with a rejected write on empty tables (rows made up and rolled back)', async () => {
    const fx = await db.fixture(SCHEMA);
    const result = only(await fx.probe([ID], { expect: DECLARED }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('all 4 declared constraints rejected a violating write with the right SQLSTATE (rolled back)');
    expect((result.evidence.proofs as { declaration: string; verdict: string; constraint?: string; rows: string; detail: string }[]).map((proof) => [proof.declaration, proof.verdict, proof.detail, proof.constraint, proof.rows])).toEqual([
      ['unique customers.email', 'enforced', 'rejected with 23505', 'customers_email_key', 'made up'],
      ['not null orders.customer_id', 'enforced', 'rejected with 23502', undefined, 'made up'],
      ['check orders rejects {"quantity":-1}', 'enforced', 'rejected with 23514', 'quantity_positive', 'made up'],
      ['foreign key orders.customer_id -> customers.id', 'enforced', 'rejected with 23503', 'orders_customer_id_fkey', 'made up'],
    ]);
    const { rows } = await fx.sql(`select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders,
      (select last_value from customers_id_seq) as customers_seq, (select is_called from customers_id_seq) as called`);
    expect(rows).toEqual([{ customers: 0, orders: 0, customers_seq: '1', called: false }]);
  });

  it('fails naming each declared constraint the schema does not enforce', async () => {
    const fx = await db.fixture(`
      create table customers (id serial primary key, email text not null);
      create table orders (id serial primary key, customer_id int, quantity int not null);
      insert into customers (email) values ('a@example.test'), ('b@example.test');
      insert into orders (customer_id, quantity) values (1, 1);`);
    const result = only(await fx.probe([ID], { expect: { ...DECLARED, checks: [{ table: 'orders', reject: { quantity: -1 } }] } }), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('4 declared constraints not enforced: unique customers.email (a violating write succeeded), not null orders.customer_id (a violating write succeeded), check orders rejects {"quantity":-1} (a violating write succeeded) and 1 more');
    const { rows } = await fx.sql('select email from customers order by id');
    expect(rows).toEqual([{ email: 'a@example.test' }, { email: 'b@example.test' }]);
  });

  it('falls back to existing rows when it cannot make one up, leaving them unchanged', async () => {
    const fx = await db.fixture(`
      create table places (id serial primary key, code text unique, at point not null);
      insert into places (code, at) values ('a', point(1, 2)), ('b', point(3, 4));`);
    const result = only(await fx.probe([ID], { expect: { unique: ['places.code'] } }), ID);
    expect(result.status).toBe('pass');
    expect((result.evidence.proofs as { rows: string }[])[0]!.rows).toBe('existing');
    expect((await fx.sql('select code from places order by id')).rows).toEqual([{ code: 'a' }, { code: 'b' }]);
  });

  it('warns (not proven) when there is no row to write to and none can be made up', async () => {
    const fx = await db.fixture('create table places (id serial primary key, code text unique, at point not null);');
    const result = only(await fx.probe([ID], { expect: { unique: ['places.code'] } }), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toBe(`0 of 1 declared constraints rejected a violating write; not proven: unique places.code: could not get 2 row(s) of ${fx.schema}.places to test with: cannot make up a value of type point for ${fx.schema}.places.at`);
  });

  it('reports declarations naming columns that do not exist as a config error with their paths', async () => {
    const fx = await db.fixture(SCHEMA);
    const result = only(await fx.probe([ID], { expect: { unique: ['customers.nosuchcolumn'], foreignKeys: ['orders.customer_id -> nosuchtable.id'] } }), ID);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG' } });
    expect(result.error!.message).toBe(`expect.unique[0]: column ${fx.schema}.customers.nosuchcolumn does not exist; expect.foreignKeys[0]: table nosuchtable does not exist — fix these declarations in the probe options (or the schema, if it should have them)`);
  });

  it('skips when nothing is declared', async () => {
    const fx = await db.fixture('');
    expect(only(await fx.probe([ID]), ID)).toMatchObject({ status: 'skip', reason: 'declare expect.unique, expect.notNull, expect.checks or expect.foreignKeys' });
  });
});

describe('expect entries that do not parse', () => {
  it('become config issues naming the field, before anything runs', () => {
    const probe = postgres({ url: 'postgres://h/db', expect: { unique: ['users'], foreignKeys: ['orders.customer_id customers.id'], triggers: [{ table: 'a', name: 't', sets: 'x' }] } });
    expect(probe.checks).toEqual([]);
    expect(probe.issues).toEqual([
      { path: 'expect.unique[0]', message: 'expected "table.column", "schema.table.column" or "table.(a, b)", e.g. "users.email" or "orders.(tenant_id, number)", got "users"' },
      { path: 'expect.foreignKeys[0]', message: 'expected "table.column -> table.column" (optionally followed by "on delete cascade"), e.g. "orders.customer_id -> customers.id", got "orders.customer_id customers.id"' },
      { path: 'expect.triggers[0].fires', message: 'a trigger that "sets" a column needs fires: "insert" or "update", got nothing' },
    ]);
  });
});
