import { quoteIdent } from '../refs.ts';

/** One side of a relationship: a (quoted, qualified) table and its key columns, in pair order. */
export interface Side {
  table: string;
  columns: string[];
}

/** Child rows whose (non-null) key has no parent row, at most `limit` of them. */
export function orphanQuery(child: Side, parent: Side, limit: number): string {
  const notNull = child.columns.map((column) => `c.${quoteIdent(column)} is not null`).join(' and ');
  const join = child.columns.map((column, index) => `p.${quoteIdent(parent.columns[index]!)} = c.${quoteIdent(column)}`).join(' and ');
  return `select ${child.columns.map((column) => `c.${quoteIdent(column)}`).join(', ')} from ${child.table} c where ${notNull} and not exists (select 1 from ${parent.table} p where ${join}) limit ${limit}`;
}

/** How many rows of a `limit`-bounded query there are, as a count query. */
export function countOf(query: string): string {
  return `select count(*)::int as n from (${query}) x`;
}

/** `1000+` when a bounded count hit its bound. */
export function atLeast(n: number, bound = 1_000): string {
  return n >= bound ? `${bound}+` : String(n);
}
