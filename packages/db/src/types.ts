/** Public option types of `postgres({ ... })`. */

/** Options of {@link postgres}: where the database is, and what to verify there. */
export interface PostgresOptions {
  /** The database to probe: `postgres://user:password@host:5432/db` (or `postgresql://`). Its password is redacted everywhere. */
  url: string;
  /** The target's name in results (default `<host>/<database>`). */
  name?: string;
  /**
   * Schemas the catalog checks inspect (primary keys, foreign-key indexes, invalid objects).
   * Default: every schema except `pg_catalog`, `information_schema`, `pg_toast*`, `pg_temp*` and the probe's own.
   */
  schemas?: string[];
  /** Declarations the probe verifies. Without them, every check that needs none still runs. */
  expect?: PostgresExpectations;
  /** Hot-path queries: timed by `db.query.performance`, explained by `db.query.index-usage`. */
  queries?: DeclaredQuery[];
  /** Up/down migrations that `db.integrity.migrations` round-trips in a scratch database. */
  migrations?: MigrationsOptions;
  /** The pool size `db.connection.pooling` exercises. */
  pool?: PoolOptions;
  /** Limits put on every probe session, so a probe never blocks the application for long. */
  session?: SessionOptions;
  /** Pass/warn/fail thresholds (defaults from pghero where it has one). */
  thresholds?: Thresholds;
  /** `db.connection.credentials`: whether to try a deliberately wrong password (default true). */
  credentials?: { tryWrongPassword?: boolean };
}

/** What the schema and data are expected to hold. */
export interface PostgresExpectations {
  /** Tables that must exist: `users`, `app.users`. */
  tables?: string[];
  /** Column sets that must be unique: `users.email`, `orders.(tenant_id, number)`. */
  unique?: string[];
  /** Columns that must be NOT NULL: `users.email`. */
  notNull?: string[];
  /**
   * CHECK constraints: `orders.quantity_positive` (by constraint name; verified in the catalog and
   * against existing rows), or `{ table, reject }` (an update setting `reject` must fail with 23514).
   */
  checks?: (string | CheckExpectation)[];
  /** Foreign keys that must exist: `orders.customer_id -> customers.id`, optionally `… on delete cascade`. */
  foreignKeys?: string[];
  /** Relationships kept by the application without a foreign key (same syntax): no orphaned rows allowed. */
  relationships?: string[];
  /** Triggers that must exist, be enabled, and (when declared) do what they should. */
  triggers?: TriggerExpectation[];
  /** Consistency invariants: SQL that returns the rows violating it (none expected). */
  invariants?: Invariant[];
  /** Tables allowed to have no primary key: `audit_log`, `app.events`. */
  withoutPrimaryKey?: string[];
}

/** A CHECK constraint proven by a rejected write. */
export interface CheckExpectation {
  /** `orders` or `app.orders`. */
  table: string;
  /** The constraint's name, when you want the rejection attributed to it. */
  name?: string;
  /** Column values that the constraint must reject: `{ quantity: -1 }`. */
  reject: Record<string, string | number | boolean | null>;
}

/** A trigger and, optionally, its effect. */
export interface TriggerExpectation {
  /** `orders` or `app.orders`. */
  table: string;
  /** The trigger's name. */
  name: string;
  /** The event the trigger must fire on. */
  fires?: 'insert' | 'update' | 'delete';
  /**
   * A column the trigger sets (`updated_at`): a write of a sentinel value to it, in a rolled-back
   * transaction, must come back changed. Needs `fires: 'insert' | 'update'`.
   */
  sets?: string;
  /** A table the trigger inserts into (an audit log): the statement must add rows there. */
  inserts?: string;
}

/** A consistency invariant. */
export interface Invariant {
  /** Shown in results: `every paid order has a payment`. */
  name: string;
  /** A SELECT returning the violating rows; run read-only with the session's statement timeout. */
  sql: string;
}

/** A query on the application's hot path. */
export interface DeclaredQuery {
  /** Shown in results: `orders by customer`. */
  name: string;
  /** The SQL, with `$1`-style parameters. Statements that are not reads run only inside a rolled-back transaction. */
  sql: string;
  /** Parameter values. */
  params?: unknown[];
  /** Budget for the median of the timed runs, in ms. */
  maxMs?: number;
  /** `true`: the plan must use some index; a name: the plan must use that index. */
  mustUseIndex?: true | string;
}

/** Migrations to verify. */
export interface MigrationsOptions {
  /** Folder of migration files (relative paths resolve from the working directory). */
  dir: string;
  /**
   * `sql`: `NAME.up.sql` + `NAME.down.sql` pairs, or one `NAME.sql` with `-- migrate:up` / `-- migrate:down`
   * sections (dbmate style). `node-pg-migrate`: run through node-pg-migrate's own runner (install it).
   */
  format: 'sql' | 'node-pg-migrate';
  /** The history table on the live database (node-pg-migrate: `pgmigrations`), used to find unapplied migrations. */
  table?: string;
  /** The whole round trip's deadline in ms (default 60 000). */
  timeoutMs?: number;
}

/** The pool `db.connection.pooling` exercises. */
export interface PoolOptions {
  /** How many clients the application's pool opens at most (default 10, pg's default). */
  size?: number;
  /** How long a waiting client may wait for a free connection before it must give up cleanly (default 300 ms). */
  acquireTimeoutMs?: number;
}

/** Server-side limits set on every probe session. */
export interface SessionOptions {
  /** `statement_timeout` in ms (default 3 000). */
  statementTimeoutMs?: number;
  /** `lock_timeout` in ms (default 500): a probe statement waits no longer for the application's locks. */
  lockTimeoutMs?: number;
}

/** Thresholds; defaults in brackets. */
export interface Thresholds {
  /** A Seq Scan on a table with more rows than this is a defect in `db.query.index-usage` [10 000, pghero]. */
  seqScanRows?: number;
  /** `db.query.execution`: mean time that makes a query slow [20 ms, pghero]. */
  slowQueryMs?: number;
  /** `db.query.execution`: calls a slow query must have to count [100, pghero]. */
  slowQueryCalls?: number;
  /** `db.connection.pooling`: share of `max_connections` in use that warns [0.8]. */
  connectionsWarnRatio?: number;
  /** `db.schema.invalid-objects`: index scans at or below which an index counts as unused [50, pghero]. */
  unusedIndexScans?: number;
  /** `db.schema.invalid-objects`: statistics younger than this (ms) are too fresh to call an index unused [7 days]. */
  unusedIndexMinStatsAgeMs?: number;
  /** `db.connection.reconnection`: the pool must serve a query again within this many ms [2 000]. */
  reconnectMs?: number;
  /** `db.connection.stability`: round trips to make [50]. */
  stabilityRounds?: number;
  /** `db.connection.stability`: p95 round-trip latency that warns, in ms [100]. */
  stabilityP95Ms?: number;
  /** `db.query.activity`: an active query or an idle transaction older than this is reported, in ms [60 000, pghero]. */
  longRunningMs?: number;
}
