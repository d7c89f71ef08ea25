import type { CheckContext, ProbeContext } from '@probe/core';
import type pg from 'pg';
import type { Settings } from './options.ts';
import { quoteIdent } from './refs.ts';
import { createSessionPool, sessionConfig, withClient, type Inflight } from './session.ts';

/** What the probe's setup opens and every check shares. */
export interface DbResources {
  settings: Settings;
  /** The config of every probe connection (application_name, statement/lock timeouts). */
  config: pg.ClientConfig;
  /** The probe's own small pool. */
  pool: pg.Pool;
  /** Checks still running (teardown waits for aborted ones before dropping what they made). */
  inflight: Inflight;
  /** `probe_<runId>`: the schema the writing checks create their tables in. */
  scratchSchema: string;
  /** `probe_<runId>_migrations`: the database the migration round trip runs in. */
  scratchDatabase: string;
  /** What was (or may have been) created, marked before the CREATE is sent, so teardown never misses it. */
  created: { schema: boolean; database: boolean };
  /** Pools checks opened besides the main one (ended by the check, or by teardown after an abort). */
  pools: Set<pg.Pool>;
  /** Whether the probe ever reached the server (teardown then makes sure none of its sessions stay). */
  reached: boolean;
}

/** A check's context with the probe's resources. */
export type DbContext = CheckContext<DbResources>;

/** The probe's setup: a pool that connects lazily, so `db.connection.connectivity` reports the first connection problem. */
export function openResources(settings: Settings, context: ProbeContext): DbResources {
  const config = sessionConfig(settings.url, context.runId, settings.session);
  const resources: DbResources = {
    settings,
    config,
    pool: createSessionPool(config, 3),
    inflight: new Set(),
    scratchSchema: `probe_${context.runId}`,
    scratchDatabase: `probe_${context.runId}_migrations`,
    created: { schema: false, database: false },
    pools: new Set(),
    reached: false,
  };
  resources.pool.on('connect', () => { resources.reached = true; });
  return resources;
}

/** A pool of probe sessions a check opens for itself; `end()` it when done (teardown ends it after an abort). */
export function checkPool(context: DbContext, max: number): pg.Pool {
  const { resources } = context;
  const pool = createSessionPool(resources.config, max);
  resources.pools.add(pool);
  pool.on('connect', () => { resources.reached = true; });
  const end = pool.end.bind(pool);
  pool.end = (() => {
    resources.pools.delete(pool);
    return end();
  }) as pg.Pool['end'];
  return pool;
}

/**
 * The probe's teardown, also after failures and aborts: wait (briefly) for
 * aborted checks to let go, end the pools checks opened, terminate any session
 * of this run still on the server, drop the scratch schema and database if they
 * may exist, close the main pool.
 */
export async function closeResources(resources: DbResources | undefined, signal: AbortSignal): Promise<void> {
  if (!resources) return;
  await Promise.race([Promise.allSettled([...resources.inflight]), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
  await Promise.allSettled([...resources.pools].map((pool) => pool.end()));
  try {
    if (resources.reached || resources.created.schema || resources.created.database) {
      await withClient(resources.pool, signal, new Set(), async (client) => {
        await endOwnSessions(client, String(resources.config.application_name));
        if (resources.created.schema) await client.query(`drop schema if exists ${quoteIdent(resources.scratchSchema)} cascade`);
        if (resources.created.database) await client.query(`drop database if exists ${quoteIdent(resources.scratchDatabase)} with (force)`);
      });
    }
  } finally {
    await resources.pool.end().catch(() => {});
  }
}

/**
 * Terminate the probe's own sessions still on the server (an aborted check's
 * statement — a CREATE DATABASE, say — runs on until the server notices its
 * client is gone) and wait, briefly, until they have ended: only then can a
 * DROP be sure nothing it removes is re-created behind it.
 */
async function endOwnSessions(client: pg.ClientBase, applicationName: string): Promise<void> {
  const others = 'select pid from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()';
  for (let waited = 0; waited < 3_000; waited += 25) {
    if (!(await client.query(others, [applicationName])).rowCount) return;
    await client.query(`select pg_terminate_backend(pid) from (${others}) own`, [applicationName]);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Run `task` with a probe session from the pool (see {@link withClient}). */
export function session<T>(context: DbContext, task: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(context.resources.pool, context.signal, context.resources.inflight, task);
}

/** Create the probe's scratch schema (once per run) and return its quoted name. */
export async function scratchSchema(context: DbContext, client: pg.ClientBase): Promise<string> {
  const { resources } = context;
  resources.created.schema = true;
  await client.query(`create schema if not exists ${quoteIdent(resources.scratchSchema)}`);
  return quoteIdent(resources.scratchSchema);
}

/**
 * The schemas the catalog checks inspect, as `$n` parameter for {@link SCHEMA_FILTER}:
 * the configured list, or null for "every user schema".
 */
export function schemaParam(context: DbContext): string[] | null {
  return context.resources.settings.schemas ?? null;
}

/** SQL predicate on `n.nspname` for the inspected schemas; `$1` is {@link schemaParam}. */
export const SCHEMA_FILTER = `(case when $1::text[] is null
  then n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)' and n.nspname !~ '^probe_'
  else n.nspname = any($1::text[]) end)`;
