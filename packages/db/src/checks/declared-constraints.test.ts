import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.integrity.constraints';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('passes when the declared tables exist and the constraints are in the catalog and valid', async () => {
    const fx = await db.fixture(`
      create table users (id serial primary key, email text not null unique, tenant int, login text, unique (tenant, login));
      create table orders (id serial primary key, quantity int constraint quantity_positive check (quantity > 0));`);
    const result = only(await fx.probe([ID], { expect: {
      tables: ['users', 'orders'], unique: ['users.email', 'users.(login, tenant)'], notNull: ['users.email'],
      checks: ['orders.quantity_positive', { table: 'orders', reject: { quantity: 0 } }],
    } }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('all 7 declarations hold: the tables exist and the constraints are in the catalog and valid');
    expect((result.evidence.findings as { declaration: string; detail: string }[]).map((finding) => `${finding.declaration}: ${finding.detail}`)).toEqual([
      `table users: ${fx.schema}.users exists`,
      `table orders: ${fx.schema}.orders exists`,
      'unique users.email: enforced by users_email_key',
      'unique users.(login, tenant): enforced by users_tenant_login_key',
      `not null ${fx.schema}.users.email: the column is NOT NULL`,
      `check ${fx.schema}.orders.quantity_positive: CHECK ((quantity > 0)), validated`,
      'check on ' + fx.schema + '.orders(quantity): quantity_positive: CHECK ((quantity > 0))',
    ]);
  });

  it('fails naming what does not hold, with the duplicates and NULLs that are already there', async () => {
    const fx = await db.fixture(`
      create table users (id serial primary key, email text, nick text);
      create unique index users_nick_partial on users (nick) where id > 100;
      insert into users (email, nick) values ('a@example.test', 'x'), ('a@example.test', 'x'), (null, null);`);
    const result = only(await fx.probe([ID], { expect: { tables: ['accounts'], unique: ['users.email', 'users.nick'], notNull: ['users.email'], checks: ['users.email_shape'] } }), ID);
    expect(result.status).toBe('fail');
    const findings = result.evidence.findings as { declaration: string; holds: boolean; detail: string; violations?: unknown[] }[];
    expect(findings.map((finding) => [finding.declaration, finding.holds, finding.detail])).toEqual([
      ['table accounts', false, 'it does not exist'],
      ['unique users.email', false, `no unique index or constraint on ${fx.schema}.users(email); 1+ duplicate values exist`],
      ['unique users.nick', false, `no unique index or constraint on ${fx.schema}.users(nick); users_nick_partial is partial; 1+ duplicate values exist`],
      [`not null ${fx.schema}.users.email`, false, 'the column is nullable; 1 rows hold NULL'],
      [`check ${fx.schema}.users.email_shape`, false, `no CHECK constraint named email_shape on ${fx.schema}.users`],
    ]);
    expect(findings[1]!.violations).toEqual([{ email: 'a@example.test', count: '2' }]);
    expect(result.summary).toMatch(/^5 declarations of 5 do not hold: table accounts \(it does not exist\), unique users\.email/);
  });

  it('warns on a NOT VALID check that existing rows happen to satisfy, and fails when they do not', async () => {
    const fx = await db.fixture(`
      create table orders (id serial primary key, quantity int);
      insert into orders (quantity) values (1), (2);
      alter table orders add constraint quantity_positive check (quantity > 0) not valid;`);
    const declared = { expect: { checks: ['orders.quantity_positive'] } };
    const held = only(await fx.probe([ID], declared), ID);
    expect(held.status).toBe('warn');
    expect(held.summary).toBe('all 1 declarations hold, but check ' + fx.schema + '.orders.quantity_positive: it is NOT VALID (existing rows were never checked by the server; the probe found none violating)');
    await fx.sql('alter table orders drop constraint quantity_positive; insert into orders (quantity) values (-5); alter table orders add constraint quantity_positive check (quantity > 0) not valid');
    const broken = only(await fx.probe([ID], declared), ID);
    expect(broken.status).toBe('fail');
    expect((broken.evidence.findings as { violations: unknown[] }[])[0]!.violations).toEqual([{ id: 3, quantity: -5 }]);
  });
});
