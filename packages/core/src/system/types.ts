import type { Check } from '../protocol/types.ts';

/**
 * What every hook of a system probe gets. Pass `signal` to the driver call:
 * it aborts at the hook's bound (or the check's deadline, or an interrupt).
 */
export interface SystemHookContext {
  signal: AbortSignal;
  /** The run's id, to recognise the probe's own objects (`probe_<runId>`, `probe:<runId>:`). */
  runId: string;
}

/** A key of a row or an entry. Compared as text: `42` and `'42'` are the same key. */
export type DataKey = string | number;

/** A row of a pipeline's source or sink: whatever the driver returns (pg rows, parsed JSON, …). */
export type DataRow = Record<string, unknown>;

/** One dependency of the system: a database, a cache, a broker, an upstream API. */
export interface SystemTarget {
  /** Unique within the probe: `orders-db`, `cache`, `payments-api`. */
  name: string;
  /**
   * Where it is: `postgres://app:***@db:5432/app`, `redis://cache:6379`, `http://api:8080`.
   * Its host is resolved and, without `ping`, its port connected to; the port defaults by
   * scheme (postgres 5432, redis 6379, http 80, https 443, kafka 9092, amqp 5672, nats 4222, …).
   * Passwords are redacted everywhere.
   */
  url: string;
  /**
   * The server's version as it reports it (`select version()`, `INFO server`, the API's
   * `/version`): any text holding a version (`PostgreSQL 15.19 (Debian …)`, `7.0.15`).
   */
  version?(context: SystemHookContext): Promise<string> | string;
  /** An application-level round trip (`select 1`, `PING`); without it, a TCP connect to host:port. */
  ping?(context: SystemHookContext): Promise<unknown> | unknown;
}

/**
 * A data pipeline: rows read from the source, put through `transform`, must be
 * what the sink holds — the same count, and the same rows over a sample.
 */
export interface PipelineOptions {
  /** Kebab-case: the check id becomes `data.pipeline.<name>`. */
  name: string;
  title?: string;
  /** Every row the pipeline takes in (or the slice it took in: a time window, a batch id). */
  source(context: SystemHookContext): Promise<readonly DataRow[]> | readonly DataRow[];
  /**
   * What the pipeline does to one row, as the test's own model of it. Return
   * `undefined` (or `null`) for a row the pipeline is meant to drop. Default: identity.
   */
  transform?(row: DataRow): DataRow | undefined | null;
  /** Every row the pipeline wrote (for the same slice). */
  sink(context: SystemHookContext): Promise<readonly DataRow[]> | readonly DataRow[];
  /** The column that identifies a row on both sides, or a function computing it from a (transformed) row. */
  key: string | ((row: DataRow) => DataKey);
  /** How many keys to compare row by row (a deterministic, spread-out sample). Default 1 000. */
  sample?: number;
  /** The check's deadline (default: the run's). */
  timeoutMs?: number;
}

/** One store holding a copy of the data: a table, a cache, a search index, a downstream table. */
export interface DriftStore {
  /** Shown in the evidence: `orders-db`, `product-cache`. */
  name: string;
  /** The logical keys the store holds (a cache's `product:42` is key `42` here). */
  keys(context: SystemHookContext): Promise<readonly DataKey[]> | readonly DataKey[];
  /**
   * The values of these keys (given as text), as comparable data: parse JSON,
   * pick the columns both stores hold. Keys the store does not hold are left out.
   */
  read(keys: readonly string[], context: SystemHookContext):
    Promise<ReadonlyMap<DataKey, unknown> | Readonly<Record<string, unknown>>> | ReadonlyMap<DataKey, unknown> | Readonly<Record<string, unknown>>;
  /**
   * The store holds only some of the reference's keys (a cache): a key it lacks
   * is not drift; a key it holds that the reference lacks (stale), or holds with
   * another value, is. Default false (a replica, a downstream table).
   */
  subset?: boolean;
}

/** Stores compared by `data.sync.drift`: each against the first, the reference (the source of truth). */
export interface DriftOptions {
  /** Two or more; the first is the reference. */
  stores: DriftStore[];
  /**
   * The largest share of compared keys that may drift (missing, extra, differing) before
   * the check fails; any drift at or below it warns. Default 0: any drift fails.
   */
  threshold?: number;
  /** How many keys to compare per store (deterministic sample). Default 1 000. */
  sample?: number;
  /** The check's deadline (default: the run's). */
  timeoutMs?: number;
}

/**
 * A before/after fingerprint of data the probes must not change: row counts and
 * checksums of the application's tables, its key set, its topic offsets — and
 * never the probes' own objects (`probe_*` schemas, `probe:*` keys), which they
 * are allowed to change.
 */
export interface IsolationFingerprint {
  /** Which system it fingerprints (shown when it changed): `orders-db`. */
  target: string;
  /** Plain data describing the state; compared with a deep diff. */
  fingerprint(context: SystemHookContext): Promise<unknown> | unknown;
}

/** Options of {@link system}. */
export interface SystemOptions {
  /** The target's name (default `system`). */
  name?: string;
  /** The system's dependencies: checked for reachability, DNS and (with `version`) versions. */
  targets: SystemTarget[];
  /** Semver ranges by target name: `{ 'orders-db': '>=14 <17', cache: '^7' }`. */
  versions?: Record<string, string>;
  /** Bounds of `system.dependencies.availability`. */
  availability?: {
    /** Latency above this warns (default 500 ms). */
    warnMs?: number;
  };
  /** Bound on each hook call per target — version, ping, DNS, connect, fingerprint (default 2 000 ms). */
  hookTimeoutMs?: number;
  /** One `data.pipeline.<name>` check each. */
  pipelines?: PipelineOptions[];
  /** Stores compared by `data.sync.drift`. */
  drift?: DriftOptions;
  /** Fingerprints taken in setup and compared by `system.isolation`, the probe's last check. */
  isolation?: IsolationFingerprint[];
  /**
   * More checks of the system as a whole — flows from `defineFlow` — run after the
   * dependency checks and before the data checks and `system.isolation`, which
   * therefore also proves that they changed nothing they do not own.
   */
  checks?: Check[];
}

/** What a system probe's setup keeps: the isolation fingerprints taken before the checks ran. */
export interface SystemResources {
  before: Map<string, HookOutcome<unknown>>;
}

/** A hook call that settled: its value or why it failed, and how long it took. */
export type HookOutcome<T> =
  | { ok: true; value: T; ms: number }
  | { ok: false; error: { code: string; message: string }; ms: number };
