import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { Resolver, type Column, type Table } from '../catalog/resolve.ts';
import { freshValue, isTimeout, testRows } from '../catalog/rows.ts';
import { sqlState, toDbError } from '../errors.ts';
import { count, listOf, skipped } from '../evidence.ts';
import { describeColumns, quoteIdent, tableSql } from '../refs.ts';
import type { Settings } from '../options.ts';
import { session, type DbResources } from '../resources.ts';
import { attempt, rolledBack, type Queryable } from '../session.ts';

/** What one violating write showed. */
export interface Proof {
  declaration: string;
  /** Where it was declared: `expect.unique[0]`. */
  path: string;
  verdict: 'enforced' | 'not enforced' | 'inconclusive';
  detail: string;
  /** The constraint the server named when it rejected the write. */
  constraint?: string;
  /** Whether the write ran against rows the probe made up or existing ones. */
  rows?: 'made up' | 'existing';
  statements: string[];
}

/** A violating write: what it needs, the SQLSTATE that must reject it, and the statements. */
interface Violation {
  declaration: string;
  path: string;
  table: Table;
  rows: number;
  expected: string;
  /** Only a rejection by this constraint counts (CHECKs declared with a name). */
  constraint?: string;
  write(client: Queryable, ctids: string[]): Promise<void>;
}

/** Runs queries and remembers them (with their parameters) for the evidence. */
function recording(client: Queryable, statements: string[]): Queryable {
  return {
    query: ((sql: string, params?: unknown[]) => {
      statements.push(params?.length ? `${sql.replace(/\s+/g, ' ')} -- ${JSON.stringify(params)}` : sql.replace(/\s+/g, ' '));
      return client.query(sql, params);
    }) as Queryable['query'],
  };
}

async function prove(client: Queryable, violation: Violation): Promise<Proof> {
  const statements: string[] = [];
  const base = { declaration: violation.declaration, path: violation.path, statements };
  let rows;
  try {
    rows = await testRows(recording(client, statements), violation.table, violation.rows);
  } catch (error) {
    if (isTimeout(error)) throw toDbError(error, `testing ${violation.declaration}`);
    return { ...base, verdict: 'inconclusive', detail: (error as Error).message };
  }
  const result = await attempt(client, () => violation.write(recording(client, statements), rows.ctids));
  if (result.ok) return { ...base, rows: rows.source, verdict: 'not enforced', detail: 'the violating write succeeded (and was rolled back)' };
  const state = sqlState(result.error);
  const constraint = (result.error as { constraint?: string }).constraint;
  if (isTimeout(result.error)) throw toDbError(result.error, `testing ${violation.declaration}`);
  if (state === violation.expected && (!violation.constraint || violation.constraint === constraint)) {
    return { ...base, rows: rows.source, verdict: 'enforced', detail: `rejected with ${state}`, ...(constraint ? { constraint } : {}) };
  }
  return {
    ...base, rows: rows.source, verdict: 'inconclusive',
    detail: `the write failed with ${state ?? 'an error'}${constraint ? ` from ${constraint}` : ''} (${(result.error as Error).message}) instead of ${violation.expected}${violation.constraint ? ` from ${violation.constraint}` : ''}`,
  };
}

const columnList = (columns: Column[]) => columns.map((column) => quoteIdent(column.name)).join(', ');

/** A value no parent row has: past the parent's maximum for numbers, random otherwise. */
function orphanValue(column: Column, parent: string, parentColumn: string): string {
  if (column.category === 'N') return `(select coalesce(max(${quoteIdent(parentColumn)}), 0) + 1000 from ${parent})::${column.type}`;
  return freshValue(column) ?? 'null';
}

/** The violating write of every declaration (unresolvable references are collected by `resolver`). */
async function declaredViolations(resolver: Resolver, settings: Settings): Promise<Violation[]> {
  const { unique, notNull, checks, foreignKeys } = settings;
  const violations: Violation[] = [];
  for (const { index, ref } of unique) {
    const found = await resolver.columns(ref, `expect.unique[${index}]`);
    if (!found) continue;
    const list = columnList(found.columns);
    const fill = found.columns.map((column) => `coalesce(${quoteIdent(column.name)}, ${freshValue(column) ?? 'null'})`).join(', ');
    violations.push({
      declaration: `unique ${describeColumns(ref)}`, path: `expect.unique[${index}]`, table: found.table, rows: 2, expected: '23505',
      async write(client, [first, second]) {
        const { rows } = await client.query<{ ctid: string }>(`update ${found.table.sql} set (${list}) = row(${fill}) where ctid = $1::tid returning ctid::text`, [first]);
        await client.query(`update ${found.table.sql} set (${list}) = (select ${list} from ${found.table.sql} where ctid = $1::tid) where ctid = $2::tid`, [rows[0]!.ctid, second]);
      },
    });
  }
  for (const { index, ref } of notNull) {
    const found = await resolver.columns(ref, `expect.notNull[${index}]`);
    if (!found) continue;
    violations.push({
      declaration: `not null ${describeColumns(ref)}`, path: `expect.notNull[${index}]`, table: found.table, rows: 1, expected: '23502',
      async write(client, [row]) {
        await client.query(`update ${found.table.sql} set ${found.columns.map((column) => `${quoteIdent(column.name)} = null`).join(', ')} where ctid = $1::tid`, [row]);
      },
    });
  }
  for (const check of checks) {
    if (check.kind !== 'reject') continue;
    const path = `expect.checks[${check.index}]`;
    const found = await resolver.columns({ ...check.table, columns: Object.keys(check.reject) }, path);
    if (!found) continue;
    const values = Object.values(check.reject);
    violations.push({
      declaration: `check ${tableSql(check.table).replaceAll('"', '')} rejects ${JSON.stringify(check.reject)}`, path, table: found.table, rows: 1, expected: '23514',
      ...(check.name ? { constraint: check.name } : {}),
      async write(client, [row]) {
        const assignments = found.columns.map((column, position) => `$${position + 2}::${column.type}`).join(', ');
        await client.query(`update ${found.table.sql} set (${columnList(found.columns)}) = row(${assignments}) where ctid = $1::tid`, [row, ...values]);
      },
    });
  }
  for (const { index, ref } of foreignKeys) {
    const path = `expect.foreignKeys[${index}]`;
    const child = await resolver.columns(ref.from, path);
    const parent = await resolver.columns(ref.to, path);
    if (!child || !parent) continue;
    const orphans = child.columns.map((column, position) => orphanValue(column, parent.table.sql, parent.columns[position]!.name)).join(', ');
    violations.push({
      declaration: `foreign key ${describeColumns(ref.from)} -> ${describeColumns(ref.to)}`, path, table: child.table, rows: 1, expected: '23503',
      async write(client, [row]) {
        await client.query(`update ${child.table.sql} set (${columnList(child.columns)}) = row(${orphans}) where ctid = $1::tid`, [row]);
      },
    });
  }
  return violations;
}

/**
 * `db.query.constraints`: each declared unique / not-null / check / foreign-key
 * constraint rejects a violating write with the right SQLSTATE (23505, 23502,
 * 23514, 23503). The writes run inside one transaction that is rolled back,
 * against rows the probe inserts there itself when it can (or existing rows).
 */
export function constraintWritesCheck(): Check<DbResources> {
  return {
    id: 'db.query.constraints',
    title: 'Declared constraints reject violating writes',
    checklist: [ITEMS.checkConstraints, ITEMS.setupUnique, ITEMS.setupForeignKeys],
    writes: true,
    async run(context) {
      const { unique, notNull, checks, foreignKeys } = context.resources.settings;
      if (unique.length + notNull.length + checks.length + foreignKeys.length === 0) {
        return skipped('no constraints declared', 'declare expect.unique, expect.notNull, expect.checks or expect.foreignKeys');
      }
      const proofs = await session(context, (client) => rolledBack(client, async () => {
        await client.query('set constraints all immediate');
        const resolver = new Resolver(client);
        const violations = await declaredViolations(resolver, context.resources.settings);
        resolver.assertResolved();
        const results: Proof[] = [];
        for (const violation of violations) results.push(await prove(client, violation));
        return results;
      }));
      if (proofs.length === 0) return skipped('only named CHECK constraints are declared', 'named CHECK constraints are verified in the catalog by db.integrity.constraints; declare { table, reject } to test a write');
      const broken = proofs.filter((proof) => proof.verdict === 'not enforced');
      const unsure = proofs.filter((proof) => proof.verdict === 'inconclusive');
      const evidence = { proofs };
      if (broken.length > 0) {
        return { status: 'fail', summary: `${count(broken.length, 'declared constraint')} not enforced: ${listOf(broken.map((proof) => `${proof.declaration} (a violating write succeeded)`))}`, evidence };
      }
      if (unsure.length > 0) {
        return { status: 'warn', summary: `${proofs.length - unsure.length} of ${proofs.length} declared constraints rejected a violating write; not proven: ${listOf(unsure.map((proof) => `${proof.declaration}: ${proof.detail}`), 2)}`, evidence };
      }
      return { status: 'pass', summary: `all ${count(proofs.length, 'declared constraint')} rejected a violating write with the right SQLSTATE (rolled back)`, evidence };
    },
  };
}
