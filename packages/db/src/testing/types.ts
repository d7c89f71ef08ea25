/** Something that runs SQL: a pg `Client`/`Pool`/`PoolClient`, a PGlite (through {@link pgliteClient}), or a test handle's client. */
export interface SqlClient {
  query<Row = any>(text: string, params?: unknown[]): Promise<{ rows: Row[]; rowCount?: number | null }>;
}

/**
 * The lifecycle hooks of the test runner: pass vitest's or jest's
 * `{ beforeAll, afterAll, beforeEach, afterEach }`, or node:test's
 * `{ beforeAll: before, afterAll: after, beforeEach, afterEach }`.
 */
export interface TestHooks {
  beforeAll(fn: () => Promise<void>): void;
  afterAll(fn: () => Promise<void>): void;
  beforeEach(fn: () => Promise<void>): void;
  afterEach(fn: () => Promise<void>): void;
}

/** What `useTestDatabase` / `usePgliteDatabase` hand a test file. */
export interface TestDatabaseHandle {
  /**
   * The current test's connection, inside a transaction that is rolled back
   * after the test. `BEGIN`/`COMMIT`/`ROLLBACK` sent through it become
   * savepoints, so code under test that manages its own transactions still
   * leaves nothing behind. Only valid inside a test.
   */
  readonly client: SqlClient;
  /** The per-file database's URL (PostgreSQL only; undefined for PGlite). */
  readonly url: string | undefined;
}
