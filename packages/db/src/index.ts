export { postgres } from './db-probe.ts';
export { DB_ERR_SQL } from './errors.ts';
export type { DbResources } from './resources.ts';
export type {
  CheckExpectation, DeclaredQuery, Invariant, MigrationsOptions, PoolOptions, PostgresExpectations, PostgresOptions,
  SessionOptions, Thresholds, TriggerExpectation,
} from './types.ts';
export { sqlStep, type SqlStepOptions, type SqlStepResult } from './steps.ts';
