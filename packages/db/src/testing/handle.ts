import { nestedTransactions } from './nested.ts';
import type { SqlClient, TestDatabaseHandle, TestHooks } from './types.ts';

/** A database a test file owns: how to get a connection and how to throw it all away. */
export interface Backend {
  url?: string;
  checkout(): Promise<{ client: SqlClient; release(): void | Promise<void> }>;
  close(): Promise<void>;
}

/**
 * Register the hooks that give a test file its own database (`open` in
 * beforeAll, `close` in afterAll) and each test a transaction rolled back
 * afterwards.
 */
export function useBackend(hooks: TestHooks, open: () => Promise<Backend>): TestDatabaseHandle {
  let backend: Backend | undefined;
  let current: { client: SqlClient; release(): void | Promise<void> } | undefined;
  let wrapped: SqlClient | undefined;
  hooks.beforeAll(async () => {
    backend = await open();
  });
  hooks.afterAll(async () => {
    await backend?.close();
    backend = undefined;
  });
  hooks.beforeEach(async () => {
    if (!backend) throw new Error('the test database was not created (did beforeAll fail?)');
    current = await backend.checkout();
    await current.client.query('begin');
    wrapped = nestedTransactions(current.client);
  });
  hooks.afterEach(async () => {
    const held = current;
    current = undefined;
    wrapped = undefined;
    if (!held) return;
    try {
      await held.client.query('rollback');
    } finally {
      await held.release();
    }
  });
  return {
    get client(): SqlClient {
      if (!wrapped) throw new Error('the test database client is only available inside a test (between beforeEach and afterEach)');
      return wrapped;
    },
    get url() {
      return backend?.url;
    },
  };
}
