import { ProbeError, ProbeErrorCode } from '@probe/core';
import { quoteIdent, tableSql, type ColumnsRef, type TableRef } from '../refs.ts';
import type { Queryable } from '../session.ts';

/** A table found in the catalog. */
export interface Table {
  oid: number;
  schema: string;
  name: string;
  /** Quoted and schema-qualified, ready for SQL. */
  sql: string;
  /** `schema.name`, for messages. */
  display: string;
}

/** A column found in the catalog. */
export interface Column {
  name: string;
  attnum: number;
  /** `format_type` of the column: `integer`, `timestamp with time zone`, … */
  type: string;
  notNull: boolean;
  /** The oid of its type (of the base type, for a domain). */
  typeOid: number;
  /** `pg_type.typcategory` of the (base) type: `S` string, `N` numeric, `D` date/time, … */
  category: string;
  /** `pg_type.typtype` of the (base) type: `b` base, `e` enum, … */
  typtype: string;
  /** The declared length of a `varchar(n)`/`char(n)`. */
  maxLength: number | null;
}

/**
 * Finds the tables and columns that declarations name, and collects what it
 * cannot find, so a check reports every bad reference at once
 * (`expect.unique[1]: column users.nosuchcolumn does not exist`).
 */
export class Resolver {
  readonly problems: string[] = [];
  readonly #client: Queryable;
  readonly #tables = new Map<string, Table | undefined>();

  constructor(client: Queryable) {
    this.#client = client;
  }

  /** The table, or undefined (with a problem recorded under `path`). */
  async table(ref: TableRef, path: string): Promise<Table | undefined> {
    const key = tableSql(ref);
    if (!this.#tables.has(key)) {
      const { rows } = await this.#client.query<{ oid: number; schema: string; name: string }>(
        `select c.oid::int as oid, n.nspname as schema, c.relname as name
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.oid = to_regclass($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
        [key],
      );
      const row = rows[0];
      this.#tables.set(key, row && { ...row, sql: `${quoteIdent(row.schema)}.${quoteIdent(row.name)}`, display: `${row.schema}.${row.name}` });
    }
    const table = this.#tables.get(key);
    if (!table) this.problems.push(`${path}: table ${ref.schema ? `${ref.schema}.` : ''}${ref.table} does not exist`);
    return table;
  }

  /** The table and its columns in the order given, or undefined (with the problems recorded). */
  async columns(ref: ColumnsRef, path: string): Promise<{ table: Table; columns: Column[] } | undefined> {
    const table = await this.table(ref, path);
    if (!table) return undefined;
    const found = await columnsOf(this.#client, table.oid);
    const columns: Column[] = [];
    for (const name of ref.columns) {
      const column = found.find((candidate) => candidate.name === name);
      if (column) columns.push(column);
      else this.problems.push(`${path}: column ${table.display}.${name} does not exist`);
    }
    return columns.length === ref.columns.length ? { table, columns } : undefined;
  }

  /** Throw `PROBE_ERR_CONFIG` naming every reference that could not be found. */
  assertResolved(): void {
    if (this.problems.length > 0) {
      throw new ProbeError(ProbeErrorCode.CONFIG, this.problems.join('; '), { hint: 'fix these declarations in the probe options (or the schema, if it should have them)' });
    }
  }
}

/** Every live column of a table. */
export async function columnsOf(client: Queryable, oid: number): Promise<Column[]> {
  const { rows } = await client.query<Column>(
    `select a.attname as name, a.attnum::int as attnum, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
            coalesce(nullif(t.typbasetype, 0), t.oid)::int as "typeOid",
            coalesce(bt.typcategory, t.typcategory) as category, coalesce(bt.typtype, t.typtype) as typtype,
            case when a.atttypmod > 4 and coalesce(bt.typcategory, t.typcategory) = 'S' then a.atttypmod - 4 end as "maxLength"
       from pg_attribute a join pg_type t on t.oid = a.atttypid left join pg_type bt on bt.oid = t.typbasetype
      where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [oid],
  );
  return rows;
}
