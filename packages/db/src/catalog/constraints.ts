import type { Queryable } from '../session.ts';

/** A unique index (or the index behind a PRIMARY KEY / UNIQUE constraint). */
export interface UniqueIndex {
  name: string;
  /** Key column numbers; 0 for an expression. */
  keys: number[];
  valid: boolean;
  partial: boolean;
  definition: string;
}

/** A CHECK constraint. */
export interface CheckConstraint {
  name: string;
  validated: boolean;
  /** Column numbers it mentions. */
  keys: number[];
  /** `CHECK ((quantity > 0))`. */
  definition: string;
  /** The boolean expression alone: `(quantity > 0)`. */
  expression: string;
}

/** A foreign key. */
export interface ForeignKey {
  name: string;
  table: string;
  columns: number[];
  columnNames: string[];
  refOid: number;
  refTable: string;
  refColumns: number[];
  refColumnNames: string[];
  /** `pg_constraint.confdeltype`: a no action, r restrict, c cascade, n set null, d set default. */
  onDelete: string;
  validated: boolean;
  definition: string;
}

/** Unique indexes of a table. */
export async function uniqueIndexes(client: Queryable, oid: number): Promise<UniqueIndex[]> {
  const { rows } = await client.query<UniqueIndex>(
    `select c.relname as name, i.indkey::int2[]::int[] as keys, i.indisvalid as valid, i.indpred is not null as partial,
            pg_get_indexdef(i.indexrelid) as definition
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = $1 and i.indisunique order by c.relname`,
    [oid],
  );
  return rows;
}

/** CHECK constraints of a table. */
export async function checkConstraints(client: Queryable, oid: number): Promise<CheckConstraint[]> {
  const { rows } = await client.query<CheckConstraint>(
    `select conname as name, convalidated as validated, coalesce(conkey::int[], '{}') as keys,
            pg_get_constraintdef(oid) as definition, pg_get_expr(conbin, conrelid) as expression
       from pg_constraint where conrelid = $1 and contype = 'c' order by conname`,
    [oid],
  );
  return rows;
}

/** Foreign keys of a table (or, with `referencing: false`, those pointing at it). */
export async function foreignKeys(client: Queryable, oid: number): Promise<ForeignKey[]> {
  const { rows } = await client.query<ForeignKey>(
    `select k.conname as name, k.conrelid::regclass::text as table, k.conkey::int[] as columns,
            array(select a.attname::text from unnest(k.conkey) with ordinality u(n, o) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.o) as "columnNames",
            k.confrelid::int as "refOid", k.confrelid::regclass::text as "refTable", k.confkey::int[] as "refColumns",
            array(select a.attname::text from unnest(k.confkey) with ordinality u(n, o) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.o) as "refColumnNames",
            k.confdeltype::text as "onDelete", k.convalidated as validated, pg_get_constraintdef(k.oid) as definition
       from pg_constraint k where k.conrelid = $1 and k.contype = 'f' order by k.conname`,
    [oid],
  );
  return rows;
}

/** Whether `keys` (an index's or constraint's columns) are all among `columns` (and there is at least one). */
export function within(keys: readonly number[], columns: readonly number[]): boolean {
  return keys.length > 0 && keys.every((key) => columns.includes(key));
}
