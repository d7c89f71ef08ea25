import { collectEvents } from '@probe/testkit';
import { run, type Result, type RunOptions } from '@probe/core';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { postgres, type PostgresOptions } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.ts';

/** The shared server (from tooling/services); tests skip without it outside CI. */
export const pgUrl = process.env.PROBE_PG_URL;

/** A fixture schema: what a test builds, and the URL whose search_path points at it. */
export interface Fixture {
  schema: string;
  /** The per-file database's URL with `search_path` set to the fixture schema (declarations stay unqualified). */
  url: string;
  /** Run more SQL in the fixture (committed). */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** Run the probe against this fixture (only the given checks) and return the results by id. */
  probe(ids: string[], options?: Partial<PostgresOptions>, runOptions?: RunOptions): Promise<Map<string, Result>>;
}

let counter = 0;

/**
 * A database of this test file's own (created with the package's test kit,
 * dropped afterwards), and a fresh schema per test inside it.
 */
export function fixtureDatabase() {
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    database = await createTestDatabase({ url: pgUrl!, prefix: 'db_probe' });
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    pool.on('error', () => {});
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });
  return {
    get url() {
      return database!.url;
    },
    get pool() {
      return pool!;
    },
    /** A new schema holding what `ddl` creates. */
    async fixture(ddl: string): Promise<Fixture> {
      const schema = `fx_${process.pid}_${++counter}`;
      const url = new URL(database!.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const sql = async (text: string, params?: unknown[]) => {
        const client = await pool!.connect();
        try {
          await client.query(`set search_path = ${schema}`);
          return await client.query(text, params);
        } finally {
          await client.query('reset search_path').catch(() => {});
          client.release();
        }
      };
      await pool!.query(`create schema ${schema}`);
      if (ddl.trim()) await sql(ddl);
      return {
        schema,
        url: url.toString(),
        sql,
        probe: (ids, options = {}, runOptions = {}) => probeResults({ url: url.toString(), schemas: [schema], ...options }, ids, runOptions),
      };
    },
  };
}

/** Run `postgres(options)` with only `ids`, every event schema-validated; results by id. */
export async function probeResults(options: PostgresOptions, ids: string[], runOptions: RunOptions = {}): Promise<Map<string, Result>> {
  const summary = await run([postgres(options)], { only: ids, reporters: [collectEvents()], ...runOptions });
  return new Map(summary.results.map((result) => [result.id, result]));
}

/** One result, or a readable failure when the check did not run. */
export function only(results: Map<string, Result>, id: string): Result {
  const result = results.get(id);
  if (!result) throw new Error(`no result for ${id}; got ${[...results.keys()].join(', ')}`);
  return result;
}
