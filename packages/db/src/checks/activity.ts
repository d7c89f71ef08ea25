import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { count, listOf, maskLiterals, psql } from '../evidence.ts';
import { session, type DbResources } from '../resources.ts';

/** A session that holds things up. */
interface Busy {
  pid: number;
  user: string | null;
  application: string;
  state: string | null;
  seconds: number;
  blocked_by: number[];
  wait: string | null;
  query: string;
  problem: string;
}

/**
 * `db.query.activity`: sessions of this database that hold things up right
 * now — statements running longer than the threshold (pghero: 60 s),
 * transactions left idle that long, and statements blocked by another
 * session's locks (`pg_blocking_pids`). The probe's own sessions are ignored.
 */
export function activityCheck(): Check<DbResources> {
  return {
    id: 'db.query.activity',
    title: 'Long-running, idle-in-transaction and blocked sessions',
    checklist: [ITEMS.execution],
    async run(context) {
      const limitMs = context.resources.settings.thresholds.longRunningMs;
      const sql = `select pid, usename as user, application_name as application, state,
              extract(epoch from now() - coalesce(case when state = 'active' then query_start else state_change end, now()))::float8 as seconds,
              pg_blocking_pids(pid) as blocked_by, wait_event_type || ':' || wait_event as wait, left(query, 300) as query
         from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
          and application_name <> $1
          and (cardinality(pg_blocking_pids(pid)) > 0
               or (state = 'active' and now() - query_start > $2 * interval '1 millisecond')
               or (state like 'idle in transaction%' and now() - state_change > $2 * interval '1 millisecond'))
        order by seconds desc limit 20`;
      const rows = await session(context, async (client) => (await client.query<Omit<Busy, 'problem'>>(sql, [`probe-${context.runId}`, limitMs])).rows);
      const busy: Busy[] = rows.map((row) => ({
        ...row,
        seconds: Math.round(row.seconds * 10) / 10,
        query: maskLiterals(row.query ?? '').replace(/\s+/g, ' '),
        problem: row.blocked_by.length > 0 ? `blocked by ${row.blocked_by.join(', ')}` : row.state === 'active' ? 'long-running' : 'idle in transaction',
      }));
      context.metric('sessions_holding_up', busy.length, 'count');
      const evidence = { sessions: busy, threshold_ms: limitMs, reproduce: psql(context, 'select pid, state, now() - query_start, pg_blocking_pids(pid), left(query, 80) from pg_stat_activity where datname = current_database()') };
      if (busy.length > 0) {
        return { status: 'warn', summary: `${count(busy.length, 'session')} holding things up: ${listOf(busy.map((session) => `pid ${session.pid} ${session.problem} (${session.seconds} s)`))}`, evidence };
      }
      return { status: 'pass', summary: `no blocked sessions, none active or idle in a transaction for more than ${limitMs / 1000} s`, evidence };
    },
  };
}
