import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent } from '../refs.ts';
import { useBackend } from './handle.ts';
import type { SqlClient, TestDatabaseHandle, TestHooks } from './types.ts';

/** A database created for tests. */
export interface TestDatabase {
  /** Its name: `test_<prefix>_<random>`. */
  name: string;
  /** Its URL (the server's URL with the database replaced). */
  url: string;
  /** Drop it (WITH (FORCE): open connections are closed). */
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface CreateTestDatabaseOptions {
  /** A URL of the server; its role needs CREATEDB. */
  url: string;
  /** Clone this database (`CREATE DATABASE … TEMPLATE`): migrate once, clone per test file in milliseconds. */
  template?: string;
  /** Part of the name, to tell databases apart (`test_<prefix>_<random>`). */
  prefix?: string;
}

/** The server URL with another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Run `task` on a short-lived admin connection. */
async function withAdmin<T>(url: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** CREATE DATABASE, retried briefly while the template is busy (SQLSTATE 55006: someone is still connected to it). */
async function createDatabase(client: pg.Client, name: string, template: string | undefined): Promise<void> {
  const sql = `create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ''}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(sql);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

/**
 * A fresh, isolated database on the server at `url`: empty (from template1), or
 * a clone of `template`. Drop it with `drop()` when done.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions): Promise<TestDatabase> {
  const name = `test_${options.prefix ? `${options.prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_` : ''}${randomBytes(5).toString('hex')}`;
  await withAdmin(options.url, (client) => createDatabase(client, name, options.template));
  return {
    name,
    url: withDatabase(options.url, name),
    drop: () => withAdmin(options.url, async (client) => { await client.query(`drop database if exists ${quoteIdent(name)} with (force)`); }),
  };
}

/** Options of {@link createTemplateDatabase}. */
export interface CreateTemplateOptions {
  /** A URL of the server; its role needs CREATEDB. */
  url: string;
  /** The template's name, e.g. `app_template`. Recreated on every call. */
  name: string;
  /** Bring the schema (and seed data) in: run the migrations here. Everything is committed. */
  migrate(client: SqlClient): Promise<void>;
}

/**
 * (Re)create a template database and migrate it once — typically in a vitest
 * `globalSetup` — so each test file clones it with `useTestDatabase({ template })`.
 * Returns its name.
 */
export async function createTemplateDatabase(options: CreateTemplateOptions): Promise<string> {
  await withAdmin(options.url, async (client) => {
    await client.query(`drop database if exists ${quoteIdent(options.name)} with (force)`);
    await createDatabase(client, options.name, undefined);
  });
  await withAdmin(withDatabase(options.url, options.name), (client) => options.migrate(client));
  return options.name;
}

/** Options of {@link useTestDatabase}. */
export interface UseTestDatabaseOptions extends CreateTestDatabaseOptions {
  /** Run once after the file's database is created (when there is no template): create the schema, seed data. */
  migrate?(client: SqlClient): Promise<void>;
}

/**
 * Give a test file its own database (created in beforeAll, dropped in
 * afterAll) and each test a transaction that is rolled back afterwards:
 *
 * ```ts
 * const db = useTestDatabase({ beforeAll, afterAll, beforeEach, afterEach }, { url, template: 'app_template' });
 * it('creates a user', async () => { await db.client.query('insert into users …'); });
 * ```
 */
export function useTestDatabase(hooks: TestHooks, options: UseTestDatabaseOptions): TestDatabaseHandle {
  return useBackend(hooks, async () => {
    const database = await createTestDatabase(options);
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => {});
    if (options.migrate && !options.template) {
      const client = await pool.connect();
      try {
        await options.migrate(client);
      } finally {
        client.release();
      }
    }
    return {
      url: database.url,
      async checkout() {
        const client = await pool.connect();
        return { client, release: () => client.release() };
      },
      async close() {
        await pool.end();
        await database.drop();
      },
    };
  });
}
