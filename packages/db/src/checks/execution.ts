import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { sqlState } from '../errors.ts';
import { count, listOf, maskLiterals, ms, psql, skipped } from '../evidence.ts';
import { session, type DbResources } from '../resources.ts';
import type { Queryable } from '../session.ts';

/** One statement's line in pg_stat_statements. */
interface Statement {
  query: string;
  calls: number;
  mean_ms: number;
  total_ms: number;
  rows: number;
}

const NOT_INSTALLED = 'pg_stat_statements is not installed in this database (it needs shared_preload_libraries = \'pg_stat_statements\', a restart, then CREATE EXTENSION pg_stat_statements)';

/**
 * `db.query.execution`: from pg_stat_statements, the statements of this
 * database whose mean time is at or above pghero's slow threshold (20 ms)
 * over at least 100 calls; the top statements by total time as evidence.
 * Skipped, with the reason, where the extension is not there.
 */
export function executionCheck(): Check<DbResources> {
  return {
    id: 'db.query.execution',
    title: 'Slow statements in pg_stat_statements',
    checklist: [ITEMS.execution],
    async run(context) {
      const { slowQueryMs, slowQueryCalls } = context.resources.settings.thresholds;
      // The statements, or why there are none to read.
      const all = await session(context, async (client): Promise<Statement[] | string> => {
        const installed = await client.query("select 1 from pg_extension where extname = 'pg_stat_statements'");
        if (!installed.rowCount) return NOT_INSTALLED;
        try {
          return await statements(client);
        } catch (error) {
          if (sqlState(error) === '55000') return `pg_stat_statements is installed but not loaded: ${(error as Error).message}`;
          throw error;
        }
      });
      if (typeof all === 'string') return skipped(all);
      const slow = all.filter((statement) => statement.calls >= slowQueryCalls && statement.mean_ms >= slowQueryMs);
      const top = [...all].sort((a, b) => b.total_ms - a.total_ms).slice(0, 5);
      context.metric('statements_tracked', all.length, 'count');
      context.metric('slow_statements', slow.length, 'count');
      const evidence = {
        slow: slow.slice(0, 10), top_by_total_time: top, thresholds: { mean_ms: slowQueryMs, calls: slowQueryCalls },
        reproduce: psql(context, 'select calls, mean_exec_time, left(query, 80) from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) order by mean_exec_time desc limit 10'),
      };
      if (slow.length > 0) {
        return { status: 'warn', summary: `${count(slow.length, 'slow statement')} (mean ≥ ${slowQueryMs} ms over ≥ ${slowQueryCalls} calls): ${listOf(slow.map((statement) => `${statement.query.slice(0, 60)} (${statement.mean_ms} ms × ${statement.calls})`), 2)}`, evidence };
      }
      return { status: 'pass', summary: `no statement averages ≥ ${slowQueryMs} ms over ≥ ${slowQueryCalls} calls (${count(all.length, 'statement')} tracked)`, evidence };
    },
  };
}

/** Data statements of this database (DDL text can hold passwords; literals are masked anyway). */
async function statements(client: Queryable): Promise<Statement[]> {
  const { rows: [version] } = await client.query<{ num: number }>("select current_setting('server_version_num')::int as num");
  const [mean, total] = version!.num >= 130_000 ? ['mean_exec_time', 'total_exec_time'] : ['mean_time', 'total_time'];
  const { rows } = await client.query<Statement>(
    `select query, calls::float8 as calls, ${mean}::float8 as mean_ms, ${total}::float8 as total_ms, rows::float8 as rows
       from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())
        and query ~* '^\\s*(select|insert|update|delete|with|merge|values|table)\\y'
      order by ${mean} desc limit 500`,
  );
  return rows.map((row) => ({ ...row, query: maskLiterals(row.query).replace(/\s+/g, ' ').slice(0, 200), mean_ms: ms(row.mean_ms), total_ms: ms(row.total_ms) }));
}
