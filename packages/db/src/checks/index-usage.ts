import { ProbeError, ProbeErrorCode, type Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { sqlState, toDbError } from '../errors.ts';
import { count, inlineParams, listOf, psql, skipped } from '../evidence.ts';
import { session, type DbContext, type DbResources } from '../resources.ts';
import { rolledBack, type Queryable } from '../session.ts';
import type { DeclaredQuery } from '../types.ts';

/** One node of an EXPLAIN (FORMAT JSON) plan. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** What the plan of one declared query showed. */
interface Explained {
  name: string;
  verdict: 'ok' | 'seq scan on a large table' | 'index not used';
  detail: string;
  /** The node that is the problem (or that proves the index is used), without its children. */
  node?: Record<string, unknown>;
  /** Set when the index is used only once sequential scans are disabled (the table is small). */
  seqscanDisabled?: boolean;
  reproduce: string;
}

function nodesOf(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    out.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  return out;
}

/** A node as evidence: without children and output lists. */
function shown(node: PlanNode): Record<string, unknown> {
  const { Plans: _plans, Output: _output, ...rest } = node;
  return rest;
}

async function explain(client: Queryable, query: DeclaredQuery, seqscanOff: boolean): Promise<PlanNode[]> {
  return rolledBack(client, async () => {
    if (seqscanOff) await client.query('set local enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (format json, verbose) ${query.sql}`, query.params ?? []);
    return nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
  });
}

/** Estimated rows of each scanned table: the larger of the planner's estimate and the live-tuple count. */
async function tableRows(client: Queryable, nodes: PlanNode[]): Promise<Map<string, number>> {
  const names = [...new Set(nodes.filter((node) => node['Relation Name']).map((node) => `${node.Schema ?? 'public'}.${node['Relation Name']}`))];
  if (names.length === 0) return new Map();
  const { rows } = await client.query<{ name: string; rows: number }>(
    `select n.nspname || '.' || c.relname as name, greatest(c.reltuples, coalesce(s.n_live_tup, 0), 0)::float8 as rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_stat_all_tables s on s.relid = c.oid
      where n.nspname || '.' || c.relname = any($1)`,
    [names],
  );
  return new Map(rows.map((row) => [row.name, row.rows]));
}

const usesIndex = (nodes: PlanNode[], wanted: true | string) =>
  nodes.find((node) => node['Index Name'] !== undefined && (wanted === true || node['Index Name'] === wanted));

/**
 * `db.query.index-usage`: EXPLAIN (FORMAT JSON) of each declared query. A Seq
 * Scan on a table above the row threshold fails; so does a plan that does not
 * use the index named in `mustUseIndex`. On a small table, where the planner
 * rightly prefers a Seq Scan, the index passes if the planner uses it once
 * sequential scans are disabled (proving it is usable). Plans only; nothing runs.
 */
export function indexUsageCheck(queries: readonly DeclaredQuery[]): Check<DbResources> {
  return {
    id: 'db.query.index-usage',
    title: 'Declared queries use indexes (no Seq Scan on large tables)',
    checklist: [ITEMS.performance, ITEMS.setupIndexUsage],
    async run(context) {
      if (queries.length === 0) return skipped('no queries declared', 'declare queries: [{ name, sql, mustUseIndex }]');
      const explained = await session(context, async (client) => {
        const out: Explained[] = [];
        for (const [index, query] of queries.entries()) out.push(await judge(context, client, query, index));
        return out;
      });
      const bad = explained.filter((entry) => entry.verdict !== 'ok');
      const evidence = { plans: explained };
      if (bad.length > 0) return { status: 'fail', summary: `${bad.length} of ${queries.length} declared queries: ${listOf(bad.map((entry) => `${entry.name}: ${entry.detail}`), 2)}`, evidence };
      return { status: 'pass', summary: `${count(queries.length, 'declared query', 'declared queries')}: ${listOf(explained.map((entry) => `${entry.name}: ${entry.detail}`), 2)}`, evidence };
    },
  };
}

async function judge(context: DbContext, client: Queryable, query: DeclaredQuery, index: number): Promise<Explained> {
  const threshold = context.resources.settings.thresholds.seqScanRows;
  const reproduce = psql(context, `explain (format json) ${inlineParams(query.sql, query.params)}`);
  let nodes: PlanNode[];
  try {
    nodes = await explain(client, query, false);
  } catch (error) {
    const state = sqlState(error);
    if (state && !['55P03', '57014', '42501'].includes(state)) {
      throw new ProbeError(ProbeErrorCode.CONFIG, `queries[${index}] (${query.name}) cannot be explained: ${(error as Error).message} (SQLSTATE ${state})`, { hint: 'fix the declared query' });
    }
    throw toDbError(error);
  }
  const rows = await tableRows(client, nodes);
  const rowsOf = (node: PlanNode) => rows.get(`${node.Schema ?? 'public'}.${node['Relation Name']}`) ?? 0;
  const bigScan = nodes.find((node) => node['Node Type'] === 'Seq Scan' && rowsOf(node) > threshold);
  if (bigScan) {
    return { name: query.name, verdict: 'seq scan on a large table', detail: `Seq Scan on ${bigScan['Relation Name']} (~${Math.round(rowsOf(bigScan))} rows > ${threshold})`, node: shown(bigScan), reproduce };
  }
  const wanted = query.mustUseIndex;
  if (wanted === undefined) {
    const used = usesIndex(nodes, true);
    return { name: query.name, verdict: 'ok', detail: used ? `uses ${used['Index Name']}` : `no Seq Scan above ${threshold} rows`, ...(used ? { node: shown(used) } : {}), reproduce };
  }
  const used = usesIndex(nodes, wanted);
  if (used) return { name: query.name, verdict: 'ok', detail: `uses ${used['Index Name']}`, node: shown(used), reproduce };
  const forced = usesIndex(await explain(client, query, true), wanted);
  const seqScan = nodes.find((node) => node['Node Type'] === 'Seq Scan');
  if (forced && seqScan) {
    return {
      name: query.name, verdict: 'ok', seqscanDisabled: true, node: shown(forced), reproduce,
      detail: `uses ${forced['Index Name']} once sequential scans are off (the planner prefers a Seq Scan on ${seqScan['Relation Name']}, ~${Math.round(rowsOf(seqScan))} rows)`,
    };
  }
  const what = wanted === true ? 'any index' : `index ${wanted}`;
  const top = seqScan ?? nodes[0]!;
  return { name: query.name, verdict: 'index not used', detail: `the plan does not use ${what} (${top['Node Type']}${top['Relation Name'] ? ` on ${top['Relation Name']}` : ''})`, node: shown(top), reproduce };
}
