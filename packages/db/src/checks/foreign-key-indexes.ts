import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { count, listOf, psql } from '../evidence.ts';
import { SCHEMA_FILTER, schemaParam, session, type DbResources } from '../resources.ts';

/**
 * Foreign keys and the best index on their referencing columns — the logic of
 * pgx_scripts `fk_no_index.sql` without its size filter: an index supports a
 * foreign key when the key's columns are its leading columns (in any order);
 * a partial or non-btree one is questionable.
 */
const FK_INDEXES = `with fk as (
  select k.oid, k.conrelid, k.conname, k.conkey, n.nspname
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
   where k.contype = 'f' and ${SCHEMA_FILTER}
)
select fk.conrelid::regclass::text as table, fk.conname as name,
       array(select quote_ident(a.attname) from unnest(fk.conkey) with ordinality u(n, o) join pg_attribute a on a.attrelid = fk.conrelid and a.attnum = u.n order by u.o) as columns,
       best.name as index, best.questionable
  from fk
  left join lateral (
    select i.indexrelid::regclass::text as name, (i.indpred is not null or am.amname <> 'btree') as questionable
      from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_am am on am.oid = ic.relam
     where i.indrelid = fk.conrelid and i.indisvalid
       and (i.indkey::int2[])[0:cardinality(fk.conkey) - 1] @> fk.conkey
     order by (i.indpred is not null or am.amname <> 'btree'), i.indnatts
     limit 1
  ) best on true
 order by 1, 2`;

interface Row {
  table: string;
  name: string;
  columns: string[];
  index: string | null;
  questionable: boolean | null;
}

/**
 * `db.schema.foreign-key-indexes`: every foreign key has an index on its
 * referencing columns. Without one, each DELETE or key UPDATE on the parent
 * scans the whole child table — a cost that does not show in the parent's plan.
 * A partial or non-btree index warns.
 */
export function foreignKeyIndexesCheck(): Check<DbResources> {
  return {
    id: 'db.schema.foreign-key-indexes',
    title: 'Every foreign key has a supporting index',
    checklist: [ITEMS.relationships, ITEMS.setupIndexUsage],
    async run(context) {
      const rows = await session(context, async (client) => (await client.query<Row>(FK_INDEXES, [schemaParam(context)])).rows);
      const missing = rows.filter((row) => !row.index);
      const questionable = rows.filter((row) => row.index && row.questionable);
      const describe = (row: Row) => `${row.table}(${row.columns.join(', ')})`;
      context.metric('foreign_keys_without_index', missing.length, 'count');
      const evidence = {
        without_index: missing.map((row) => ({ table: row.table, foreign_key: row.name, columns: row.columns, suggestion: `create index concurrently on ${row.table} (${row.columns.join(', ')});` })),
        questionable: questionable.map((row) => ({ table: row.table, foreign_key: row.name, index: row.index })),
        reproduce: psql(context, "select conrelid::regclass, conname from pg_constraint k where contype = 'f' and not exists (select 1 from pg_index i where i.indrelid = k.conrelid and (i.indkey::int2[])[0:cardinality(k.conkey) - 1] @> k.conkey)"),
      };
      if (missing.length > 0) return { status: 'fail', summary: `${missing.length} of ${count(rows.length, 'foreign key')} ${missing.length === 1 ? 'has' : 'have'} no index: ${listOf(missing.map(describe), 4)}`, evidence };
      if (questionable.length > 0) return { status: 'warn', summary: `${count(questionable.length, 'foreign key')} ${questionable.length === 1 ? 'has' : 'have'} only a partial or non-btree index: ${listOf(questionable.map(describe), 4)}`, evidence };
      return { status: 'pass', summary: `all ${count(rows.length, 'foreign key')} have an index on their referencing columns`, evidence };
    },
  };
}
