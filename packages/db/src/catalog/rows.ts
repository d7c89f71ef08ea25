import { quoteIdent } from '../refs.ts';
import { sqlState } from '../errors.ts';
import type { Queryable } from '../session.ts';
import { columnsOf, type Column, type Table } from './resolve.ts';

/** A column, and what inserting a made-up row needs to know about it. */
interface ColumnInfo extends Column {
  /** NOT NULL without a default, identity or generation expression: the insert must give a value. */
  needsValue: boolean;
  /** Filled from a sequence (identity or `nextval` default): the probe gives a value itself, so the sequence does not move. */
  sequenced: boolean;
  identity: boolean;
  /** For a single-column foreign key: the referenced table and column, quoted. */
  refTable: string | null;
  refColumn: string | null;
}

/**
 * A typed SQL expression with a fresh value for a column of `column.type`, or
 * undefined when the probe cannot make one up. Random values keep two made-up
 * rows from colliding with each other or with the application's rows.
 */
export function freshValue(column: Pick<Column, 'type' | 'typeOid' | 'category' | 'typtype' | 'maxLength'>): string | undefined {
  const cast = `::${column.type}`;
  if (column.typtype === 'e') return `(select enumlabel from pg_enum where enumtypid = ${column.typeOid} order by enumsortorder limit 1)${cast}`;
  switch (column.category) {
    case 'S': {
      const length = Math.min(12, column.maxLength ?? 12);
      return `left('p' || md5(random()::text), ${length})${cast}`;
    }
    case 'N': return `(floor(random() * 30000) + 1)${cast}`;
    case 'B': return `true${cast}`;
    case 'D': return `now()${cast}`;
    case 'T': return `'1 hour'${cast}`;
    case 'A': return `'{}'${cast}`;
    case 'I': return `'127.0.0.1'${cast}`;
    default: break;
  }
  if (/^uuid$/.test(column.type)) return 'gen_random_uuid()';
  if (/^jsonb?$/.test(column.type)) return `'{}'${cast}`;
  if (column.type === 'bytea') return `'\\x00'${cast}`;
  return undefined;
}

async function columnInfo(client: Queryable, table: Table): Promise<ColumnInfo[]> {
  const { rows } = await client.query<{ name: string; needsValue: boolean; sequenced: boolean; identity: boolean; refTable: string | null; refColumn: string | null }>(
    `select a.attname as name,
            a.attnotnull and not a.atthasdef and a.attidentity = '' and a.attgenerated = '' as "needsValue",
            a.attidentity <> '' or coalesce(pg_get_expr(ad.adbin, ad.adrelid), '') like 'nextval(%' as sequenced,
            a.attidentity <> '' as identity,
            fk.ref_table as "refTable", fk.ref_column as "refColumn"
       from pg_attribute a
       left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
       left join lateral (
         select format('%I.%I', rn.nspname, rc.relname) as ref_table, quote_ident(ra.attname) as ref_column
           from pg_constraint k
           join pg_class rc on rc.oid = k.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
           join pg_attribute ra on ra.attrelid = k.confrelid and ra.attnum = k.confkey[1]
          where k.conrelid = a.attrelid and k.contype = 'f' and k.conkey = array[a.attnum] limit 1
       ) fk on true
      where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped`,
    [table.oid],
  );
  const extra = new Map(rows.map((row) => [row.name, row]));
  return (await columnsOf(client, table.oid)).map((column) => ({ ...column, ...extra.get(column.name)! }));
}

/**
 * Insert one made-up row (inside the caller's transaction, which is rolled
 * back) and return its ctid. Only NOT NULL columns without a default get a
 * value (a foreign-key column borrows an existing parent key), plus the
 * `overrides` (column name → SQL expression).
 */
export async function insertMadeUpRow(client: Queryable, table: Table, overrides: Record<string, string> = {}): Promise<string> {
  const columns = await columnInfo(client, table);
  const values = new Map<string, string>(Object.entries(overrides));
  // Sequences are not transactional: a value taken by a rolled-back insert is gone. Numbers past the column's maximum instead.
  for (const column of columns.filter((candidate) => candidate.sequenced && candidate.category === 'N' && !values.has(candidate.name))) {
    values.set(column.name, `(select coalesce(max(${quoteIdent(column.name)}), 0) + 1 from ${table.sql})::${column.type}`);
  }
  for (const column of columns.filter((candidate) => candidate.needsValue && !values.has(candidate.name))) {
    const value = column.refTable ? `(select ${column.refColumn} from ${column.refTable} limit 1)` : freshValue(column);
    if (!value) throw new Error(`cannot make up a value of type ${column.type} for ${table.display}.${column.name}`);
    values.set(column.name, value);
  }
  const overriding = columns.some((column) => column.identity && values.has(column.name)) ? ' overriding system value' : '';
  const sql = values.size === 0
    ? `insert into ${table.sql} default values returning ctid::text`
    : `insert into ${table.sql} (${[...values.keys()].map(quoteIdent).join(', ')})${overriding} values (${[...values.values()].join(', ')}) returning ctid::text`;
  const { rows } = await client.query<{ ctid: string }>(sql);
  return rows[0]!.ctid;
}

/** A lock or statement timeout: the application is busy, and the check must say so rather than work around it. */
export function isTimeout(error: unknown): boolean {
  const state = sqlState(error);
  return state === '55P03' || state === '57014';
}

/** Rows a check can write to, with how they were found. */
export interface TestRows {
  ctids: string[];
  /** `made up` (inserted by the probe in its rolled-back transaction) or `existing`. */
  source: 'made up' | 'existing';
}

/**
 * `count` rows of `table` to run violating writes against, inside the caller's
 * rolled-back transaction. Prefers rows the probe inserts itself (the
 * application's rows stay untouched, not even row-locked); falls back to
 * existing rows when a row cannot be made up (a CHECK it does not satisfy, a
 * type it cannot fill). Throws with the reason when neither works.
 */
export async function testRows(client: Queryable, table: Table, count: number): Promise<TestRows> {
  const made: string[] = [];
  let reason = '';
  for (let index = 0; index < count; index++) {
    // Each insert in its own savepoint that is kept on success: a failure leaves the transaction usable.
    await client.query('savepoint probe_row');
    try {
      made.push(await insertMadeUpRow(client, table));
      await client.query('release savepoint probe_row');
    } catch (error) {
      await client.query('rollback to savepoint probe_row');
      if (isTimeout(error)) throw error;
      reason = (error as Error).message;
      break;
    }
  }
  if (made.length === count) return { ctids: made, source: 'made up' };
  const { rows } = await client.query<{ ctid: string }>(`select ctid::text from ${table.sql} limit ${count}`);
  if (rows.length === count) return { ctids: rows.map((row) => row.ctid), source: 'existing' };
  throw new Error(`could not get ${count} row(s) of ${table.display} to test with: ${reason || 'the table has too few rows'}`);
}

