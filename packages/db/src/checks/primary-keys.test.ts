import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.schema.primary-keys';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('fails naming the tables that have no primary key', async () => {
    const fx = await db.fixture('create table has_pk (id int primary key); create table no_pk (id int); create table log (line text)');
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(`2 of 3 tables have no primary key: ${fx.schema}.log, ${fx.schema}.no_pk`);
    expect(result.evidence.tables_without_primary_key).toEqual([`${fx.schema}.log`, `${fx.schema}.no_pk`]);
    expect(result.evidence.reproduce).toMatch(/^psql 'postgres:\/\/postgres@127\.0\.0\.1:5432\/test_db_probe_\w+\?options=.*' -c 'select c\.oid::regclass/);
  });

  it('passes when every table has one, and honours expect.withoutPrimaryKey', async () => {
    const fx = await db.fixture('create table a (id int primary key); create table audit_log (line text); create table p (id int, primary key (id)) partition by range (id); create table p1 partition of p for values from (1) to (10)');
    const result = only(await fx.probe([ID], { expect: { withoutPrimaryKey: ['audit_log'] } }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('all 3 tables have a primary key (1 allowed without)');
  });

  it('passes on an empty schema with a plain summary', async () => {
    const fx = await db.fixture('');
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('no tables to inspect');
  });
});
