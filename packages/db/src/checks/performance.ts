import { ProbeError, ProbeErrorCode, type Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { sqlState, toDbError } from '../errors.ts';
import { count, inlineParams, listOf, median, ms, psql, skipped } from '../evidence.ts';
import { session, type DbContext, type DbResources } from '../resources.ts';
import { rolledBack } from '../session.ts';
import type { DeclaredQuery } from '../types.ts';

/** Whether a statement reads only (it then runs in a READ ONLY transaction, which the server enforces). */
function isReadQuery(sql: string): boolean {
  return /^\s*(select|with|values|table|show)\b/i.test(sql);
}

/** A metric-safe name for a declared query: `orders by customer` → `orders_by_customer`. */
function querySlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'query';
}

/** Timed runs after one warm-up run; a slow warm-up (> 500 ms) is timed once only. */
const RUNS = 5;

interface Timing {
  name: string;
  median_ms?: number;
  runs_ms: number[];
  max_ms?: number;
  verdict: 'within budget' | 'over budget' | 'no budget' | 'timed out';
  reproduce: string;
}

/**
 * `db.query.performance`: each declared query's median time over a few runs
 * stays within its `maxMs`. Reads run in READ ONLY transactions; anything else
 * only inside a transaction that is rolled back.
 */
export function performanceCheck(queries: readonly DeclaredQuery[]): Check<DbResources> {
  return {
    id: 'db.query.performance',
    title: 'Declared queries run within their time budget',
    checklist: [ITEMS.performance],
    writes: queries.some((query) => !isReadQuery(query.sql)),
    timeoutMs: 20_000,
    async run(context) {
      if (queries.length === 0) return skipped('no queries declared', 'declare queries: [{ name, sql, maxMs }]');
      const timings: Timing[] = [];
      for (const [index, query] of queries.entries()) timings.push(await time(context, query, index));
      for (const timing of timings) if (timing.median_ms !== undefined) context.metric(`queries.${querySlug(timing.name)}.median_ms`, timing.median_ms, 'ms');
      const slow = timings.filter((timing) => timing.verdict === 'over budget' || timing.verdict === 'timed out');
      const evidence = { timings };
      if (slow.length > 0) {
        return { status: 'fail', summary: `${slow.length} of ${queries.length} declared queries over budget: ${listOf(slow.map((timing) => timing.verdict === 'timed out' ? `${timing.name} (hit statement_timeout)` : `${timing.name} (median ${timing.median_ms} ms > ${timing.max_ms} ms)`))}`, evidence };
      }
      return { status: 'pass', summary: `${count(queries.length, 'declared query', 'declared queries')}: ${listOf(timings.map((timing) => `${timing.name} ${timing.median_ms} ms${timing.max_ms ? ` (≤ ${timing.max_ms})` : ''}`))}`, evidence };
    },
  };
}

async function time(context: DbContext, query: DeclaredQuery, index: number): Promise<Timing> {
  const readOnly = isReadQuery(query.sql);
  const base = { name: query.name, ...(query.maxMs ? { max_ms: query.maxMs } : {}), reproduce: psql(context, `begin${readOnly ? ' read only' : ''}; ${inlineParams(query.sql, query.params)}; rollback;`) };
  const runs: number[] = [];
  try {
    await session(context, async (client) => {
      for (let run = 0; run <= RUNS; run++) {
        const elapsed = await rolledBack(client, async () => {
          const started = performance.now();
          await client.query(query.sql, query.params ?? []);
          return performance.now() - started;
        }, { readOnly });
        if (run > 0 || elapsed > 500) runs.push(ms(elapsed));
        if (run === 0 && elapsed > 500) break;
      }
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    const state = sqlState(cause);
    if (state === '57014' && query.maxMs !== undefined) return { ...base, runs_ms: runs, verdict: 'timed out' };
    if (state && !['55P03', '57014', '42501'].includes(state)) {
      throw new ProbeError(ProbeErrorCode.CONFIG, `queries[${index}] (${query.name}) failed: ${(cause as Error).message} (SQLSTATE ${state})`, { hint: 'fix the declared query' });
    }
    throw toDbError(error);
  }
  const value = ms(median(runs));
  const verdict = query.maxMs === undefined ? 'no budget' : value <= query.maxMs ? 'within budget' : 'over budget';
  return { ...base, median_ms: value, runs_ms: runs, verdict };
}
