export {
  createTemplateDatabase, createTestDatabase, useTestDatabase, withDatabase,
  type CreateTemplateOptions, type CreateTestDatabaseOptions, type TestDatabase, type UseTestDatabaseOptions,
} from './database.ts';
export { defineFactory, type Factory, type FactoryContext } from './factory.ts';
export { startLocalPostgres, type LocalPostgres, type LocalPostgresOptions } from './local-postgres.ts';
export { createPgliteDatabase, pgliteClient, usePgliteDatabase, type PgliteOptions } from './pglite.ts';
export { startPostgres, type StartedPostgres, type StartPostgresOptions } from './start-postgres.ts';
export type { SqlClient, TestDatabaseHandle, TestHooks } from './types.ts';
