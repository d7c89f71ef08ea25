import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { count, listOf, psql } from '../evidence.ts';
import { SCHEMA_FILTER, schemaParam, session, type DbResources } from '../resources.ts';

/** Tables (and partitioned parents) without a primary key — pgTAP `has_pk`; partitions inherit their parent's. */
const WITHOUT_PK = `select n.nspname as schema, c.relname as table
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p') and not c.relispartition and ${SCHEMA_FILTER}
   and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
 order by 1, 2`;

/**
 * `db.schema.primary-keys`: every table has a primary key (rows can be told
 * apart, updated one at a time and replicated logically), except those listed
 * in `expect.withoutPrimaryKey`.
 */
export function primaryKeysCheck(): Check<DbResources> {
  return {
    id: 'db.schema.primary-keys',
    title: 'Every table has a primary key',
    checklist: [ITEMS.verifyConstraints],
    async run(context) {
      const { rows, total } = await session(context, async (client) => ({
        rows: (await client.query<{ schema: string; table: string }>(WITHOUT_PK, [schemaParam(context)])).rows,
        total: (await client.query<{ n: number }>(`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and not c.relispartition and ${SCHEMA_FILTER}`, [schemaParam(context)])).rows[0]!.n,
      }));
      const allowed = context.resources.settings.withoutPrimaryKey;
      const isAllowed = (row: { schema: string; table: string }) => allowed.some((ref) => ref.table === row.table && (!ref.schema || ref.schema === row.schema));
      const missing = rows.filter((row) => !isAllowed(row)).map((row) => `${row.schema}.${row.table}`);
      context.metric('tables_without_primary_key', missing.length, 'count');
      const evidence = { tables_without_primary_key: missing, allowed: rows.filter(isAllowed).map((row) => `${row.schema}.${row.table}`), reproduce: psql(context, "select c.oid::regclass from pg_class c where c.relkind in ('r','p') and not c.relispartition and c.relnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')") };
      if (total === 0) return { status: 'pass', summary: 'no tables to inspect', evidence };
      if (missing.length > 0) return { status: 'fail', summary: `${missing.length} of ${count(total, 'table')} ${missing.length === 1 ? 'has' : 'have'} no primary key: ${listOf(missing, 5)}`, evidence };
      return { status: 'pass', summary: `all ${count(total, 'table')} have a primary key${evidence.allowed.length ? ` (${evidence.allowed.length} allowed without)` : ''}`, evidence };
    },
  };
}
