import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgUrl } from '../../test/fixtures.ts';
import { createTemplateDatabase, createTestDatabase, useTestDatabase } from './database.ts';

const hooks = { beforeAll, afterAll, beforeEach, afterEach };

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return Boolean((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount);
  } finally {
    await client.end();
  }
}

describe.skipIf(!pgUrl)('useTestDatabase: a database per file, a rolled-back transaction per test', () => {
  const db = useTestDatabase(hooks, {
    url: pgUrl!,
    prefix: 'kit',
    migrate: async (client) => { await client.query('create table notes (id serial primary key, body text not null unique)'); },
  });

  it('gives the file its own database, migrated once', async () => {
    expect(db.url).toMatch(/\/test_kit_[0-9a-f]{10}$/);
    await db.client.query("insert into notes (body) values ('first')");
    expect((await db.client.query('select count(*)::int as n from notes')).rows).toEqual([{ n: 1 }]);
  });

  it('rolls the previous test back', async () => {
    expect((await db.client.query('select count(*)::int as n from notes')).rows).toEqual([{ n: 0 }]);
  });

  it('turns the transactions of the code under test into savepoints, so even its COMMIT is undone afterwards', async () => {
    await db.client.query('begin');
    await db.client.query("insert into notes (body) values ('kept by the inner commit')");
    await db.client.query('commit');
    await db.client.query('begin');
    await db.client.query("insert into notes (body) values ('undone by the inner rollback')");
    await db.client.query('rollback');
    expect((await db.client.query('select body from notes')).rows).toEqual([{ body: 'kept by the inner commit' }]);
  });

  it('leaves a failed statement recoverable inside the test (unique constraint tested)', async () => {
    await db.client.query("insert into notes (body) values ('same')");
    await db.client.query('begin');
    await expect(db.client.query("insert into notes (body) values ('same')")).rejects.toMatchObject({ code: '23505' });
    await db.client.query('rollback');
    expect((await db.client.query('select count(*)::int as n from notes')).rows).toEqual([{ n: 1 }]);
  });

  it('refuses the client outside a test', () => {
    const outside = useTestDatabase({ beforeAll() {}, afterAll() {}, beforeEach() {}, afterEach() {} }, { url: pgUrl! });
    expect(() => outside.client).toThrow('the test database client is only available inside a test');
  });
});

describe.skipIf(!pgUrl)('createTemplateDatabase + createTestDatabase', () => {
  const template = `kit_template_${process.pid}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`drop database if exists ${template} with (force)`);
    await client.end();
  });

  it('migrates a template once and clones it per file; drop() removes the clone', async () => {
    await createTemplateDatabase({ url: pgUrl!, name: template, migrate: async (client) => {
      await client.query("create table seeded (id int primary key); insert into seeded values (1), (2)");
    } });
    const clone = await createTestDatabase({ url: pgUrl!, template });
    const client = new pg.Client({ connectionString: clone.url });
    await client.connect();
    expect((await client.query('select count(*)::int as n from seeded')).rows).toEqual([{ n: 2 }]);
    await client.end();
    await clone.drop();
    expect(await databaseExists(clone.name)).toBe(false);
  });
});
