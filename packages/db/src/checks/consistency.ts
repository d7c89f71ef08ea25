import { ProbeError, ProbeErrorCode, type Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { checkConstraints, foreignKeys } from '../catalog/constraints.ts';
import { atLeast, countOf, orphanQuery } from '../catalog/orphans.ts';
import { sqlState, toDbError } from '../errors.ts';
import { count, listOf, psql, skipped } from '../evidence.ts';
import { SCHEMA_FILTER, schemaParam, session, type DbContext, type DbResources } from '../resources.ts';
import { rolledBack, type Queryable } from '../session.ts';

/** What one invariant (declared, or implied by a NOT VALID constraint) found. */
interface Finding {
  invariant: string;
  violations: number;
  sample: unknown[];
  reproduce: string;
}

/** Violating rows fetched per invariant; the count is bounded too. */
const SAMPLE = 5;
const BOUND = 1_000;

/**
 * `db.integrity.consistency`: each declared invariant (SQL returning the rows
 * that violate it) returns none, and rows that NOT VALID constraints were never
 * checked against satisfy them. Runs in READ ONLY transactions.
 */
export function consistencyCheck(): Check<DbResources> {
  return {
    id: 'db.integrity.consistency',
    title: 'Declared invariants hold; rows satisfy NOT VALID constraints',
    checklist: [ITEMS.consistency],
    async run(context) {
      const findings = await session(context, (client) => rolledBack(client, async () => [
        ...await declared(context, client),
        ...await notValid(context, client),
      ], { readOnly: true }));
      if (findings.length === 0) {
        return skipped('no invariants declared and no NOT VALID constraints to verify', 'declare expect.invariants: [{ name, sql }] (SQL returning violating rows)');
      }
      const broken = findings.filter((finding) => finding.violations > 0);
      const evidence = { findings };
      if (broken.length > 0) return { status: 'fail', summary: `${count(broken.length, 'invariant')} of ${findings.length} violated: ${listOf(broken.map((finding) => `${finding.invariant} (${atLeast(finding.violations, BOUND)} rows)`), 2)}`, evidence };
      return { status: 'pass', summary: `all ${count(findings.length, 'invariant')} hold (no violating rows)`, evidence };
    },
  };
}

async function measure(context: DbContext, client: Queryable, invariant: string, query: (limit: number) => string): Promise<Finding> {
  const sample = (await client.query(query(SAMPLE))).rows;
  const violations = sample.length < SAMPLE ? sample.length : (await client.query<{ n: number }>(countOf(query(BOUND)))).rows[0]!.n;
  return { invariant, violations, sample, reproduce: psql(context, query(SAMPLE)) };
}

async function declared(context: DbContext, client: Queryable): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const [index, invariant] of context.resources.settings.invariants.entries()) {
    const sql = invariant.sql.trim().replace(/;+$/, '');
    await client.query('savepoint probe_invariant');
    try {
      out.push(await measure(context, client, invariant.name, (limit) => `select * from (${sql}) violating limit ${limit}`));
      await client.query('release savepoint probe_invariant');
    } catch (error) {
      const state = sqlState(error);
      if (!state || ['55P03', '57014', '42501'].includes(state)) throw toDbError(error, `invariant ${invariant.name}`);
      throw new ProbeError(ProbeErrorCode.CONFIG, `expect.invariants[${index}] (${invariant.name}) failed: ${(error as Error).message} (SQLSTATE ${state})`, { hint: 'the invariant must be a SELECT returning the violating rows' });
    }
  }
  return out;
}

async function notValid(context: DbContext, client: Queryable): Promise<Finding[]> {
  const { rows: tables } = await client.query<{ oid: number; sql: string }>(
    `select distinct k.conrelid::int as oid, format('%I.%I', n.nspname, c.relname) as sql
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      where not k.convalidated and k.contype in ('c', 'f') and ${SCHEMA_FILTER}`,
    [schemaParam(context)],
  );
  const out: Finding[] = [];
  for (const table of tables) {
    for (const check of (await checkConstraints(client, table.oid)).filter((candidate) => !candidate.validated)) {
      out.push(await measure(context, client, `${table.sql} ${check.definition}`, (limit) => `select * from ${table.sql} where not ${check.expression} limit ${limit}`));
    }
    for (const fk of (await foreignKeys(client, table.oid)).filter((candidate) => !candidate.validated)) {
      const { rows: [parent] } = await client.query<{ sql: string }>("select format('%I.%I', n.nspname, c.relname) as sql from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = $1", [fk.refOid]);
      out.push(await measure(context, client, `${table.sql} ${fk.definition}`, (limit) => orphanQuery({ table: table.sql, columns: fk.columnNames }, { table: parent!.sql, columns: fk.refColumnNames }, limit)));
    }
  }
  return out;
}
