import pg from 'pg';
import { toDbError } from './errors.ts';

/** Server-side limits of a probe session. */
export interface SessionLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** A connected client or pool: anything with pg's `query`. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * The config of every connection the probe opens: its own `application_name`
 * (`probe-<runId>`, so its sessions are recognisable in pg_stat_activity),
 * `statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout`
 * set at connect time, and a bounded connect.
 */
export function sessionConfig(url: string, runId: string, limits: SessionLimits): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: `probe-${runId}`,
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: Math.max(10_000, limits.statementTimeoutMs * 2),
    // The client-side bound is a little longer, so the server's own timeout (with its SQLSTATE) normally wins.
    query_timeout: limits.statementTimeoutMs + 2_000,
    connectionTimeoutMillis: 3_000,
    keepAlive: true,
  };
}

/**
 * PostgreSQL 14+ checks during a long statement whether the client is still
 * there: when a check is aborted and its socket destroyed, the server stops the
 * statement (and rolls back its transaction) within a second.
 */
const CHECK_CLIENT_CONNECTION = "select set_config('client_connection_check_interval', '1000', false) where current_setting('server_version_num')::int >= 140000";

/** A pool of probe sessions. Never crashes the process on a dropped connection. */
export function createSessionPool(config: pg.ClientConfig, max: number): pg.Pool {
  const pool = new pg.Pool({
    ...config,
    max,
    idleTimeoutMillis: 5_000,
    allowExitOnIdle: true,
    onConnect: async (client) => {
      await client.query(CHECK_CLIENT_CONNECTION);
    },
  });
  pool.on('error', () => { /* an idle client died: the pool has removed it already */ });
  pool.on('connect', (client) => client.on('error', () => { /* reported to whoever holds it through its failing query */ }));
  return pool;
}

/** One connection outside any pool (admin actions, wrong-password attempts); errors come back through its queries. */
export async function connectClient(config: pg.ClientConfig, signal?: AbortSignal): Promise<pg.Client> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  const onAbort = () => { void client.end().catch(() => {}); };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Work in flight, so teardown can wait for aborted checks to let go before it drops what they created. */
export type Inflight = Set<Promise<unknown>>;

/**
 * Check out a client, run `task`, give it back. When `signal` aborts, the
 * connection is destroyed at once (the server rolls back whatever it was doing);
 * when `task` throws, the connection is destroyed too, so no half-finished
 * transaction ever goes back into the pool. Driver errors become ProbeErrors.
 */
export async function withClient<T>(pool: pg.Pool, signal: AbortSignal, inflight: Inflight, task: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const work = (async () => {
    signal.throwIfAborted();
    const client = await acquire(pool, signal);
    let released = false;
    const release = (destroy: boolean) => {
      if (released) return;
      released = true;
      client.release(destroy || undefined);
    };
    const onAbort = () => release(true);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const value = await task(client);
      release(false);
      return value;
    } catch (error) {
      release(true);
      throw signal.aborted ? signal.reason : toDbError(error);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  })();
  inflight.add(work);
  try {
    return await work;
  } finally {
    inflight.delete(work);
  }
}

/** `pool.connect()` that gives up when `signal` aborts (a client that arrives later goes straight back). */
async function acquire(pool: pg.Pool, signal: AbortSignal): Promise<pg.PoolClient> {
  const pending = pool.connect();
  return new Promise<pg.PoolClient>((resolve, reject) => {
    // A client that arrives after the abort is released by the handler below, once.
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (client) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) client.release(true);
        else resolve(client);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toDbError(error, 'connecting'));
      },
    );
  });
}

/**
 * Run `task` inside a transaction that is always rolled back: the probe's
 * writes to anything that is not its own never become visible to anyone.
 */
export async function rolledBack<T>(client: Queryable, task: () => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
  await client.query(options.readOnly ? 'begin transaction read only' : 'begin');
  try {
    return await task();
  } finally {
    await client.query('rollback');
  }
}

/**
 * Run one statement inside a savepoint and report how it ended, so an expected
 * error (a rejected violating write) does not abort the surrounding transaction.
 */
export async function attempt<T>(client: Queryable, task: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  await client.query('savepoint probe_attempt');
  try {
    const value = await task();
    await client.query('rollback to savepoint probe_attempt');
    return { ok: true, value };
  } catch (error) {
    await client.query('rollback to savepoint probe_attempt');
    return { ok: false, error };
  }
}
