import { useBackend } from './handle.ts';
import type { SqlClient, TestDatabaseHandle, TestHooks } from './types.ts';

/** The part of a PGlite instance the kit uses. */
interface PGliteLike {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(text: string): Promise<{ rows: unknown[]; affectedRows?: number }[]>;
  close(): Promise<void>;
}

/**
 * A PGlite instance as a {@link SqlClient}: parameterless text may hold several
 * statements (like pg's simple protocol), so migration files run as they are.
 */
export function pgliteClient(db: PGliteLike): SqlClient {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      if (params?.length) {
        const result = await db.query<Row>(text, params);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      }
      const last = (await db.exec(text)).at(-1);
      return { rows: (last?.rows ?? []) as Row[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    },
  };
}

/** Options of {@link createPgliteDatabase}. */
export interface PgliteOptions {
  /** Create the schema (and seed data) in the new database. */
  migrate?(client: SqlClient): Promise<void>;
}

/**
 * An in-memory PostgreSQL (PGlite: real PostgreSQL compiled to WASM) — the
 * TypeScript counterpart of `sqlite :memory:`: no server, the same SQL.
 * Needs the optional peer dependency `@electric-sql/pglite`.
 */
export async function createPgliteDatabase(options: PgliteOptions = {}): Promise<{ client: SqlClient; close(): Promise<void> }> {
  let PGlite: { create(): Promise<PGliteLike> };
  try {
    ({ PGlite } = await import('@electric-sql/pglite') as unknown as { PGlite: { create(): Promise<PGliteLike> } });
  } catch (error) {
    throw new Error(`createPgliteDatabase needs @electric-sql/pglite (npm install --save-dev @electric-sql/pglite): ${(error as Error).message}`);
  }
  const db = await PGlite.create();
  const client = pgliteClient(db);
  if (options.migrate) await options.migrate(client);
  return { client, close: () => db.close() };
}

/**
 * `useTestDatabase` for PGlite: one in-memory database per test file, a
 * transaction per test rolled back afterwards, the same handle.
 */
export function usePgliteDatabase(hooks: TestHooks, options: PgliteOptions = {}): TestDatabaseHandle {
  return useBackend(hooks, async () => {
    const database = await createPgliteDatabase(options);
    return { checkout: async () => ({ client: database.client, release() {} }), close: database.close };
  });
}
