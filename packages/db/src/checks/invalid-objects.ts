import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { count, listOf, psql } from '../evidence.ts';
import { SCHEMA_FILTER, schemaParam, session, type DbResources } from '../resources.ts';
import type { Queryable } from '../session.ts';

/** Invalid indexes (a failed CREATE INDEX CONCURRENTLY), not counting one still being built — pghero `invalid_indexes`. */
const INVALID_INDEXES = `select i.indexrelid::regclass::text as index, i.indrelid::regclass::text as table, pg_get_indexdef(i.indexrelid) as definition
  from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
 where not i.indisvalid and ${SCHEMA_FILTER}
   and not exists (select 1 from pg_stat_progress_create_index p where p.index_relid = i.indexrelid)
 order by 1`;

/** Constraints added NOT VALID and never validated — pghero `invalid_constraints`. */
const NOT_VALID = `select k.conrelid::regclass::text as table, k.conname as constraint, pg_get_constraintdef(k.oid) as definition
  from pg_constraint k join pg_namespace n on n.oid = k.connamespace
 where not k.convalidated and k.contype in ('c', 'f') and ${SCHEMA_FILTER}
 order by 1, 2`;

/** Non-unique indexes scanned at most $2 times since the statistics were reset — pghero `unused_indexes`. */
const UNUSED = `select s.indexrelid::regclass::text as index, s.relid::regclass::text as table, s.idx_scan::int as scans, pg_relation_size(s.indexrelid)::float8 as bytes
  from pg_stat_user_indexes s join pg_index i on i.indexrelid = s.indexrelid join pg_namespace n on n.nspname = s.schemaname
 where not i.indisunique and s.idx_scan <= $2 and ${SCHEMA_FILTER}
 order by 4 desc, 1`;

/**
 * Indexes made redundant by another index on the same table — pghero
 * `duplicate_indexes`: same access method, predicate and expressions, and its
 * columns a leading prefix of the other's (a unique index is redundant only
 * next to one on exactly the same columns).
 */
const DUPLICATES = `select a.indexrelid::regclass::text as index, b.indexrelid::regclass::text as covered_by, a.indrelid::regclass::text as table
  from pg_index a
  join pg_index b on b.indrelid = a.indrelid and b.indexrelid <> a.indexrelid
  join pg_class ac on ac.oid = a.indexrelid join pg_class bc on bc.oid = b.indexrelid
  join pg_class t on t.oid = a.indrelid join pg_namespace n on n.oid = t.relnamespace
 where ${SCHEMA_FILTER} and ac.relam = bc.relam and a.indisvalid and b.indisvalid
   and coalesce(pg_get_expr(a.indpred, a.indrelid), '') = coalesce(pg_get_expr(b.indpred, b.indrelid), '')
   and coalesce(pg_get_expr(a.indexprs, a.indrelid), '') = coalesce(pg_get_expr(b.indexprs, b.indrelid), '')
   and a.indnkeyatts <= b.indnkeyatts
   and (b.indkey::int2[])[0:a.indnkeyatts - 1] = (a.indkey::int2[])[0:a.indnkeyatts - 1]
   and (not a.indisunique or (b.indisunique and a.indnkeyatts = b.indnkeyatts))
   and (a.indnkeyatts < b.indnkeyatts or a.indisunique < b.indisunique or b.indisprimary or (a.indisunique = b.indisunique and a.indexrelid > b.indexrelid))
   and not a.indisprimary
 order by 1`;

/** How old the statistics are: since the last reset, or (never reset) since the server started. */
const STATS_AGE = `select extract(epoch from now() - coalesce(pg_stat_get_db_stat_reset_time(d.oid), pg_postmaster_start_time()))::float8 * 1000 as ms
  from pg_database d where d.datname = current_database()`;

async function rows<T>(client: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  return (await client.query(sql, params)).rows as T[];
}

/**
 * `db.schema.invalid-objects`: invalid indexes fail; NOT VALID constraints,
 * duplicate indexes and (once the statistics are old enough to tell) unused
 * indexes warn.
 */
export function invalidObjectsCheck(): Check<DbResources> {
  return {
    id: 'db.schema.invalid-objects',
    title: 'No invalid indexes; NOT VALID constraints, unused and duplicate indexes',
    checklist: [ITEMS.verifyConstraints, ITEMS.setupIndexUsage],
    async run(context) {
      const { unusedIndexScans, unusedIndexMinStatsAgeMs } = context.resources.settings.thresholds;
      const schemas = schemaParam(context);
      const found = await session(context, async (client) => {
        const statsAgeMs = (await rows<{ ms: number }>(client, STATS_AGE, []))[0]!.ms;
        return {
          invalid: await rows<{ index: string; table: string; definition: string }>(client, INVALID_INDEXES, [schemas]),
          notValid: await rows<{ table: string; constraint: string; definition: string }>(client, NOT_VALID, [schemas]),
          duplicates: await rows<{ index: string; covered_by: string; table: string }>(client, DUPLICATES, [schemas]),
          unused: statsAgeMs >= unusedIndexMinStatsAgeMs ? await rows<{ index: string; table: string; scans: number; bytes: number }>(client, UNUSED, [schemas, unusedIndexScans]) : undefined,
          statsAgeMs,
        };
      });
      const evidence = {
        invalid_indexes: found.invalid,
        not_valid_constraints: found.notValid,
        duplicate_indexes: found.duplicates,
        unused_indexes: found.unused ?? `not judged: statistics are ${Math.round(found.statsAgeMs / 60_000)} min old (need ${Math.round(unusedIndexMinStatsAgeMs / 60_000)} min)`,
        reproduce: psql(context, 'select indexrelid::regclass from pg_index where not indisvalid'),
      };
      if (found.invalid.length > 0) {
        return { status: 'fail', summary: `${count(found.invalid.length, 'invalid index', 'invalid indexes')} (the server maintains but never uses them): ${listOf(found.invalid.map((row) => row.index))}`, evidence };
      }
      const warnings = [
        ...(found.notValid.length ? [`${count(found.notValid.length, 'NOT VALID constraint')} (${listOf(found.notValid.map((row) => `${row.table}.${row.constraint}`), 2)})`] : []),
        ...(found.duplicates.length ? [`${count(found.duplicates.length, 'duplicate index', 'duplicate indexes')} (${listOf(found.duplicates.map((row) => `${row.index} covered by ${row.covered_by}`), 2)})`] : []),
        ...(found.unused?.length ? [`${count(found.unused.length, 'unused index', 'unused indexes')} (${listOf(found.unused.map((row) => `${row.index}: ${row.scans} scans`), 2)})`] : []),
      ];
      if (warnings.length > 0) return { status: 'warn', summary: `no invalid indexes, but ${warnings.join('; ')}`, evidence };
      return { status: 'pass', summary: `no invalid indexes, NOT VALID constraints or duplicate indexes${found.unused ? ', and no unused indexes' : ''}`, evidence };
    },
  };
}
