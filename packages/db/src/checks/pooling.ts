import type { Check } from '@probe/core';
import type pg from 'pg';
import { ITEMS } from '../checklist.ts';
import { toDbError } from '../errors.ts';
import { ms } from '../evidence.ts';
import { checkPool, session, type DbContext, type DbResources } from '../resources.ts';

interface Headroom {
  max_connections: number;
  reserved: number;
  in_use: number;
}

/** Connection slots the probe always leaves free for the application [judgement]. */
const MARGIN = 3;

/**
 * `db.connection.pooling`: a pool of the application's size gets all its
 * clients at once (each its own backend); one more waiting client gives up
 * cleanly after the acquire timeout; everything comes back idle. Also the
 * server's headroom: connections in use against `max_connections` (warn ≥ 80 %).
 */
export function poolingCheck(): Check<DbResources> {
  return {
    id: 'db.connection.pooling',
    title: 'Pool of the configured size works and gives up cleanly when exhausted',
    checklist: [ITEMS.pooling],
    async run(context) {
      const { size, acquireTimeoutMs } = context.resources.settings.pool;
      const headroom = await session(context, async (client) => (await client.query<Headroom>(
        `select current_setting('max_connections')::int as max_connections,
                current_setting('superuser_reserved_connections')::int as reserved,
                (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as in_use`,
      )).rows[0]!);
      const usable = headroom.max_connections - headroom.reserved;
      const ratio = headroom.in_use / usable;
      context.metric('connections_in_use', headroom.in_use, 'count');
      context.metric('connections_usable', usable, 'count');
      context.metric('connections_in_use_ratio', Math.round(ratio * 1000) / 1000, 'ratio');
      const free = usable - headroom.in_use - MARGIN;
      const burst = Math.min(size, free);
      if (burst < 1) {
        return { status: 'fail', summary: `no free connection slots: ${headroom.in_use} of ${usable} in use`, evidence: { headroom } };
      }
      const exercised = await exercise(context, burst, acquireTimeoutMs);
      const problems = [...exercised.problems];
      if (burst < size) problems.push(`the pool size ${size} does not fit: only ${free} connection slots are free (${headroom.in_use} of ${usable} in use, ${MARGIN} kept for others)`);
      const evidence = { headroom, pool: { size, exercised: burst, acquireTimeoutMs }, ...exercised.evidence };
      if (problems.length > 0) return { status: 'fail', summary: problems.join('; '), evidence };
      const percent = Math.round(ratio * 100);
      const limit = context.resources.settings.thresholds.connectionsWarnRatio;
      const base = `${burst} concurrent clients got distinct connections; a waiting client gave up after ${exercised.waitMs} ms`;
      if (ratio >= limit) return { status: 'warn', summary: `${base}, but ${percent}% of max_connections are in use (${headroom.in_use}/${usable}, warn at ${Math.round(limit * 100)}%)`, evidence };
      return { status: 'pass', summary: `${base}; ${percent}% of max_connections in use (${headroom.in_use}/${usable})`, evidence };
    },
  };
}

async function exercise(context: DbContext, size: number, acquireTimeoutMs: number) {
  // Connecting gets the session's usual bound; only the waiting client below gets the (short) acquire timeout.
  const pool = checkPool(context, size);
  const held: pg.PoolClient[] = [];
  const problems: string[] = [];
  const onAbort = () => { for (const client of held.splice(0)) client.release(true); };
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const started = performance.now();
    const attempts = await Promise.allSettled(Array.from({ length: size }, () => pool.connect()));
    for (const attempt of attempts) if (attempt.status === 'fulfilled') held.push(attempt.value);
    const failed = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [toDbError(attempt.reason).message] : []));
    if (failed.length > 0) problems.push(`${failed.length} of ${size} clients could not connect: ${failed[0]}`);
    const pids = await Promise.all(held.map(async (client) => (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid));
    const burstMs = ms(performance.now() - started);
    if (new Set(pids).size !== pids.length) problems.push('two pooled clients shared one backend');

    // The pool is exhausted now: one more client must wait and then give up with pg's timeout error.
    pool.options.connectionTimeoutMillis = acquireTimeoutMs;
    const waitStarted = performance.now();
    let waitError = '';
    try {
      const extra = await pool.connect();
      extra.release(true);
      problems.push(`the pool handed out a client beyond its size ${size}`);
    } catch (error) {
      waitError = (error as Error).message;
    }
    const waitMs = ms(performance.now() - waitStarted);
    if (waitError && !/timeout/i.test(waitError)) problems.push(`a waiting client failed with "${waitError}" instead of timing out`);
    if (waitError && waitMs > acquireTimeoutMs * 2 + 500) problems.push(`a waiting client gave up only after ${waitMs} ms (acquire timeout ${acquireTimeoutMs} ms)`);

    for (const client of held.splice(0)) client.release();
    const afterRelease = { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    if (afterRelease.waiting !== 0 || afterRelease.idle !== afterRelease.total) problems.push(`after release ${afterRelease.total - afterRelease.idle} clients were still checked out and ${afterRelease.waiting} waiting`);
    context.metric('pool_burst_ms', burstMs, 'ms');
    context.metric('pool_wait_timeout_ms', waitMs, 'ms');
    return { problems, waitMs, evidence: { backends: pids.length, burst_ms: burstMs, waiting_client: { error: waitError, after_ms: waitMs }, after_release: afterRelease } };
  } finally {
    context.signal.removeEventListener('abort', onAbort);
    for (const client of held.splice(0)) client.release(true);
    await pool.end().catch(() => {});
  }
}
