import { messageOf, type Check } from '@probe/core';
import type pg from 'pg';
import { ITEMS } from '../checklist.ts';
import { sqlState } from '../errors.ts';
import { ms } from '../evidence.ts';
import { checkPool, session, type DbContext, type DbResources } from '../resources.ts';

/** How the pool came back after one of its backends was terminated. */
interface Recovery {
  killed_pid: number;
  new_pid?: number;
  recovery_ms: number;
  failed_attempts: number;
  first_error?: string;
}

/**
 * `db.connection.reconnection`: terminate the probe's own backends
 * (`pg_terminate_backend` from a second connection) — once while the pooled
 * client is idle, once in the middle of a query — and measure how soon the
 * pool serves a query again on a fresh connection.
 */
export function reconnectionCheck(): Check<DbResources> {
  return {
    id: 'db.connection.reconnection',
    title: 'The pool recovers after its connection is terminated',
    checklist: [ITEMS.reconnection],
    async run(context) {
      const bound = context.resources.settings.thresholds.reconnectMs;
      const poolErrors: string[] = [];
      const pool = checkPool(context, 1);
      pool.on('error', (error) => poolErrors.push(messageOf(error)));
      try {
        const idle = await killIdle(context, pool, bound);
        const busy = await killBusy(context, pool, bound);
        context.metric('recovery_idle_ms', idle.recovery_ms, 'ms');
        context.metric('recovery_busy_ms', busy.recovery.recovery_ms, 'ms');
        const evidence = { idle_kill: idle, busy_kill: busy, pool_error_events: poolErrors, terminate: "select pg_terminate_backend(<pid>)" };
        const problems: string[] = [];
        for (const [what, recovery] of [['idle', idle], ['busy', busy.recovery]] as const) {
          if (recovery.new_pid === undefined) problems.push(`after terminating its ${what} connection the pool served no query within ${bound} ms (${recovery.first_error ?? 'no answer'})`);
          else if (recovery.new_pid === recovery.killed_pid) problems.push(`after terminating its ${what} connection the pool answered from the dead backend ${recovery.killed_pid}`);
          else if (recovery.recovery_ms > bound) problems.push(`after terminating its ${what} connection the pool recovered only after ${recovery.recovery_ms} ms (> ${bound} ms)`);
        }
        if (busy.queryError !== '57P01') problems.push(`the query on the terminated connection ended with "${busy.queryError}" instead of SQLSTATE 57P01`);
        if (problems.length > 0) return { status: 'fail', summary: problems.join('; '), evidence };
        const retries = idle.failed_attempts + busy.recovery.failed_attempts;
        return {
          status: 'pass',
          summary: `the pool recovered from a terminated idle connection in ${idle.recovery_ms} ms and from one killed mid-query (57P01) in ${busy.recovery.recovery_ms} ms${retries ? ` after ${retries} failed attempt(s)` : ''}`,
          evidence,
        };
      } finally {
        await pool.end().catch(() => {});
      }
    },
  };
}

async function backendPid(client: pg.ClientBase | pg.Pool): Promise<number> {
  return (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
}

/** Terminate `pid` from the probe's main pool and wait (bounded) until it is gone. */
async function terminate(context: DbContext, pid: number): Promise<void> {
  await session(context, async (client) => {
    const { rows } = await client.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pid]);
    if (!rows[0]?.ok) throw new Error(`pg_terminate_backend(${pid}) returned false: the probe's role may not signal its own backends`);
    for (let waited = 0; waited < 2_000; waited += 20) {
      const { rowCount } = await client.query('select 1 from pg_stat_activity where pid = $1', [pid]);
      if (!rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
}

/** Query the pool until it answers or `bound` ms pass. */
async function recover(context: DbContext, pool: pg.Pool, killed: number, bound: number): Promise<Recovery> {
  const started = performance.now();
  let failed = 0;
  let firstError: string | undefined;
  while (performance.now() - started < bound) {
    context.signal.throwIfAborted();
    try {
      const pid = await backendPid(pool);
      return { killed_pid: killed, new_pid: pid, recovery_ms: ms(performance.now() - started), failed_attempts: failed, ...(firstError ? { first_error: firstError } : {}) };
    } catch (error) {
      failed += 1;
      firstError ??= messageOf(error);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { killed_pid: killed, recovery_ms: ms(performance.now() - started), failed_attempts: failed, ...(firstError ? { first_error: firstError } : {}) };
}

async function killIdle(context: DbContext, pool: pg.Pool, bound: number): Promise<Recovery> {
  const pid = await backendPid(pool);
  await terminate(context, pid);
  return recover(context, pool, pid, bound);
}

async function killBusy(context: DbContext, pool: pg.Pool, bound: number): Promise<{ queryError: string; recovery: Recovery }> {
  const client = await pool.connect();
  client.on('error', () => { /* the terminated connection reports through the query below */ });
  let queryError = 'the query completed';
  let pid: number;
  try {
    pid = await backendPid(client);
    const running = client.query('select pg_sleep(5)').then(() => undefined, (error: unknown) => error);
    await waitUntilActive(context, pid);
    await terminate(context, pid);
    const error = await running;
    if (error) queryError = sqlState(error) ?? messageOf(error);
  } finally {
    client.release(true);
  }
  return { queryError, recovery: await recover(context, pool, pid, bound) };
}

/** Wait (bounded) until the backend is running the query, so the kill lands mid-query. */
async function waitUntilActive(context: DbContext, pid: number): Promise<void> {
  await session(context, async (client) => {
    for (let waited = 0; waited < 1_000; waited += 10) {
      const { rowCount } = await client.query("select 1 from pg_stat_activity where pid = $1 and state = 'active'", [pid]);
      if (rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
}
