import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newRunId } from '@probe/core';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.integrity.migrations';
const dirs: string[] = [];

/** A folder of migration files (removed after the file's tests). */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'probe-migrations-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const USERS_UP = 'create schema app; create table app.users (id serial primary key, email text not null);';
const USERS_DOWN = 'drop schema app cascade;';
const ORDERS = `-- migrate:up
create table app.orders (id serial primary key, user_id int not null references app.users, total numeric not null check (total >= 0));
create index orders_user on app.orders (user_id);
-- migrate:down
drop table app.orders;
`;

/** Whether the run's scratch database is still there (it must not be, after any run). */
async function scratchLeft(url: string, runId: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Boolean((await client.query('select 1 from pg_database where datname = $1', [`probe_${runId}_migrations`])).rowCount);
  } finally {
    await client.end();
  }
}

describe.skipIf(!pgUrl)(`${ID} (sql files)`, () => {
  const db = fixtureDatabase();

  it('applies, reverts and re-applies each migration; the live schema matches; no scratch database is left', async () => {
    const dir = await folder({ '001_users.up.sql': USERS_UP, '001_users.down.sql': USERS_DOWN, '002_orders.sql': ORDERS });
    await db.pool.query(`${USERS_UP} ${ORDERS.split('-- migrate:down')[0]}`);
    try {
      const runId = newRunId();
      const result = only(await probeResults({ url: db.url, migrations: { dir, format: 'sql' } }, [ID], { runId }), ID);
      expect(result.status).toBe('pass');
      expect(result.summary).toBe('2 migrations applied, reverted and re-applied cleanly; the live schema matches the migrations');
      expect(result.evidence).toMatchObject({ migrations: ['001_users', '002_orders'], compared_schemas: ['app'] });
      expect(await scratchLeft(db.url, runId)).toBe(false);
    } finally {
      await db.pool.query(USERS_DOWN);
    }
  });

  it('fails naming the migration whose down does not restore the schema, with the difference', async () => {
    const dir = await folder({
      '001_users.up.sql': USERS_UP, '001_users.down.sql': USERS_DOWN, '002_orders.sql': ORDERS,
      '003_nick.sql': '-- migrate:up\nalter table app.users add column nick text;\ncreate index users_nick on app.users (nick);\n-- migrate:down\ndrop index app.users_nick;\n',
    });
    const runId = newRunId();
    const result = only(await probeResults({ url: db.url, migrations: { dir, format: 'sql' } }, [ID], { runId }), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('migration 003_nick: down did not restore the schema: 1 extra (column app.users.nick)');
    expect(result.evidence.broken).toEqual({ migration: '003_nick', phase: 'down', problem: 'did not restore the schema', diff: { added: ['column app.users.nick'], removed: [], changed: [] } });
    expect(await scratchLeft(db.url, runId)).toBe(false);
  });

  it('fails on an up that does not run and on a missing down', async () => {
    const broken = await folder({ '001_users.up.sql': USERS_UP, '001_users.down.sql': USERS_DOWN, '002_bad.up.sql': 'create tabel app.x (id int);', '002_bad.down.sql': 'select 1;' });
    const result = only(await probeResults({ url: db.url, migrations: { dir: broken, format: 'sql' } }, [ID]), ID);
    expect(result.summary).toBe('migration 002_bad: up failed: syntax error at or near "tabel"');
    const oneWay = await folder({ '001_users.sql': USERS_UP });
    const missing = only(await probeResults({ url: db.url, migrations: { dir: oneWay, format: 'sql' } }, [ID]), ID);
    expect(missing).toMatchObject({ status: 'fail', summary: 'migration 001_users: down is missing: the migration cannot be reverted' });
  });

  it('fails when the live schema drifts from what the migrations produce', async () => {
    const dir = await folder({ '001_users.up.sql': USERS_UP, '001_users.down.sql': USERS_DOWN, '002_orders.sql': ORDERS });
    await db.pool.query(`${USERS_UP} ${ORDERS.split('-- migrate:down')[0]} drop index app.orders_user; alter table app.users add column hotfix text; alter table app.users alter email drop not null;`);
    try {
      const result = only(await probeResults({ url: db.url, migrations: { dir, format: 'sql' } }, [ID]), ID);
      expect(result.status).toBe('fail');
      expect(result.summary).toBe('2 migrations round-trip cleanly, but the live schema drifts from the migrations: 1 extra (column app.users.hotfix), 1 missing (index app.orders_user), 1 changed (column app.users.email)');
      expect((result.evidence.drift as { changed: unknown[] }).changed).toEqual([{ object: 'column app.users.email', before: 'text not null', after: 'text' }]);
    } finally {
      await db.pool.query(USERS_DOWN);
    }
  });

  it('reports an unreadable folder as a config error', async () => {
    const result = only(await probeResults({ url: db.url, migrations: { dir: '/nonexistent/migrations', format: 'sql' } }, [ID]), ID);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG' } });
    expect(result.error!.message).toMatch(/^migrations\.dir \/nonexistent\/migrations cannot be read: ENOENT/);
  });
});

describe.skipIf(!pgUrl)(`${ID} (node-pg-migrate)`, () => {
  const db = fixtureDatabase();
  const files = {
    '1700000000001_users.js': "export const up = (pgm) => { pgm.createSchema('shop'); pgm.createTable({ schema: 'shop', name: 'users' }, { id: 'id', email: { type: 'text', notNull: true, unique: true } }); };\nexport const down = (pgm) => { pgm.dropSchema('shop', { cascade: true }); };\n",
    '1700000000002_orders.js': "export const up = (pgm) => { pgm.createTable({ schema: 'shop', name: 'orders' }, { id: 'id', user_id: { type: 'integer', notNull: true, references: { schema: 'shop', name: 'users' } } }); pgm.createIndex({ schema: 'shop', name: 'orders' }, 'user_id'); };\nexport const down = (pgm) => { pgm.dropTable({ schema: 'shop', name: 'orders' }); };\n",
  };

  it('round-trips through node-pg-migrate\'s own runner and warns about migrations the live database has not run', async () => {
    const dir = await folder(files);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    try {
      await runner({ dbClient: client, dir, direction: 'up', count: 1, migrationsTable: 'pgmigrations', logger: silent });
      const result = only(await probeResults({ url: db.url, migrations: { dir, format: 'node-pg-migrate' } }, [ID]), ID);
      expect(result.status).toBe('warn');
      expect(result.summary).toBe('2 migrations round-trip cleanly; 1 migration not applied on the live database yet: 1700000000002_orders');
      expect(result.evidence).toMatchObject({ history: { table: 'pgmigrations', applied: 1 }, pending: ['1700000000002_orders'] });
      await runner({ dbClient: client, dir, direction: 'up', count: 1, migrationsTable: 'pgmigrations', logger: silent });
      const current = only(await probeResults({ url: db.url, migrations: { dir, format: 'node-pg-migrate' } }, [ID]), ID);
      expect(current.status).toBe('pass');
    } finally {
      await client.query('drop schema if exists shop cascade; drop table if exists pgmigrations');
      await client.end();
    }
  });

  it('fails when the live database ran a migration that is not on disk', async () => {
    const dir = await folder(files);
    await db.pool.query("create table pgmigrations (id serial primary key, name text not null, run_on timestamp not null default now()); insert into pgmigrations (name) values ('1600000000000_lost')");
    try {
      const result = only(await probeResults({ url: db.url, migrations: { dir, format: 'node-pg-migrate' } }, [ID]), ID);
      expect(result.status).toBe('fail');
    } finally {
      await db.pool.query('drop table pgmigrations');
    }
  });
});
