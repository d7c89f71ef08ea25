import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { checkConstraints, uniqueIndexes, within } from '../catalog/constraints.ts';
import { Resolver } from '../catalog/resolve.ts';
import { count, listOf, psql, skipped } from '../evidence.ts';
import { describeColumns, quoteIdent } from '../refs.ts';
import { session, type DbContext, type DbResources } from '../resources.ts';
import type { Queryable } from '../session.ts';

/** What the catalog and the data say about one declaration. */
interface Finding {
  declaration: string;
  path: string;
  holds: boolean;
  /** Holds, but with a caveat (a NOT VALID constraint whose rows the probe checked itself). */
  caveat?: string;
  detail: string;
  /** Rows that violate the declaration, when the probe looked. */
  violations?: unknown[];
  reproduce?: string;
}

/** Up to this many violating rows are fetched as evidence. */
const SAMPLE = 5;

/**
 * `db.integrity.constraints`: declared tables exist; declared unique, NOT NULL
 * and CHECK constraints exist in the catalog, are valid, and the existing rows
 * satisfy them (the probe looks for duplicates, NULLs and violating rows when
 * the server does not guarantee it). Read-only.
 */
export function declaredConstraintsCheck(): Check<DbResources> {
  return {
    id: 'db.integrity.constraints',
    title: 'Declared tables and constraints exist and hold for existing rows',
    checklist: [ITEMS.verifyConstraints, ITEMS.setupUnique],
    async run(context) {
      const { tables, unique, notNull, checks } = context.resources.settings;
      if (tables.length + unique.length + notNull.length + checks.length === 0) {
        return skipped('no tables or constraints declared', 'declare expect.tables, expect.unique, expect.notNull or expect.checks');
      }
      const findings = await session(context, (client) => inspect(context, client));
      const broken = findings.filter((finding) => !finding.holds);
      const caveats = findings.filter((finding) => finding.holds && finding.caveat);
      const evidence = { findings };
      if (broken.length > 0) return { status: 'fail', summary: `${count(broken.length, 'declaration')} of ${findings.length} do not hold: ${listOf(broken.map((finding) => `${finding.declaration} (${finding.detail})`), 2)}`, evidence };
      if (caveats.length > 0) return { status: 'warn', summary: `all ${findings.length} declarations hold, but ${listOf(caveats.map((finding) => `${finding.declaration}: ${finding.caveat}`), 2)}`, evidence };
      return { status: 'pass', summary: `all ${count(findings.length, 'declaration')} hold: the tables exist and the constraints are in the catalog and valid`, evidence };
    },
  };
}

async function inspect(context: DbContext, client: Queryable): Promise<Finding[]> {
  const { tables, unique, notNull, checks } = context.resources.settings;
  const resolver = new Resolver(client);
  const findings: Finding[] = [];
  for (const { index, ref } of tables) {
    const path = `expect.tables[${index}]`;
    // A declared table that is missing is the finding itself, not a bad reference: look it up outside `resolver`.
    const found = await new Resolver(client).table(ref, path);
    findings.push({ declaration: `table ${ref.schema ? `${ref.schema}.` : ''}${ref.table}`, path, holds: Boolean(found), detail: found ? `${found.display} exists` : 'it does not exist' });
  }
  for (const { index, ref } of unique) {
    const path = `expect.unique[${index}]`;
    const found = await resolver.columns(ref, path);
    if (!found) continue;
    const attnums = found.columns.map((column) => column.attnum);
    const indexes = (await uniqueIndexes(client, found.table.oid)).filter((candidate) => within(candidate.keys, attnums));
    const enforcing = indexes.find((candidate) => candidate.valid && !candidate.partial);
    const declaration = `unique ${describeColumns(ref)}`;
    if (enforcing) {
      findings.push({ declaration, path, holds: true, detail: `enforced by ${enforcing.name}` });
      continue;
    }
    const list = found.columns.map((column) => quoteIdent(column.name)).join(', ');
    const sql = `select ${list}, count(*) from ${found.table.sql} where ${found.columns.map((column) => `${quoteIdent(column.name)} is not null`).join(' and ')} group by ${list} having count(*) > 1 limit ${SAMPLE}`;
    const duplicates = (await client.query(sql)).rows;
    const near = indexes.length > 0 ? `; ${indexes.map((candidate) => `${candidate.name} is ${candidate.valid ? 'partial' : 'invalid'}`).join(', ')}` : '';
    findings.push({
      declaration, path, holds: false,
      detail: `no unique index or constraint on ${found.table.display}(${found.columns.map((column) => column.name).join(', ')})${near}${duplicates.length ? `; ${duplicates.length}+ duplicate values exist` : ''}`,
      violations: duplicates, reproduce: psql(context, sql),
    });
  }
  for (const { index, ref } of notNull) {
    const path = `expect.notNull[${index}]`;
    const found = await resolver.columns(ref, path);
    if (!found) continue;
    for (const column of found.columns) {
      const declaration = `not null ${found.table.display}.${column.name}`;
      if (column.notNull) {
        findings.push({ declaration, path, holds: true, detail: 'the column is NOT NULL' });
        continue;
      }
      const sql = `select count(*)::int as nulls from (select 1 from ${found.table.sql} where ${quoteIdent(column.name)} is null limit 1000) x`;
      const nulls = (await client.query<{ nulls: number }>(sql)).rows[0]!.nulls;
      findings.push({ declaration, path, holds: false, detail: `the column is nullable${nulls ? `; ${nulls === 1000 ? '1000+' : nulls} rows hold NULL` : ''}`, reproduce: psql(context, sql) });
    }
  }
  for (const check of checks) {
    const path = `expect.checks[${check.index}]`;
    const table = await resolver.table(check.table, path);
    if (!table) continue;
    const constraints = await checkConstraints(client, table.oid);
    if (check.kind === 'named') {
      const declaration = `check ${table.display}.${check.name}`;
      const constraint = constraints.find((candidate) => candidate.name === check.name);
      if (!constraint) {
        findings.push({ declaration, path, holds: false, detail: `no CHECK constraint named ${check.name} on ${table.display}${constraints.length ? ` (it has ${constraints.map((candidate) => candidate.name).join(', ')})` : ''}` });
        continue;
      }
      if (constraint.validated) {
        findings.push({ declaration, path, holds: true, detail: `${constraint.definition}, validated` });
        continue;
      }
      const sql = `select * from ${table.sql} where not ${constraint.expression} limit ${SAMPLE}`;
      const violations = (await client.query(sql)).rows;
      findings.push({
        declaration, path, holds: violations.length === 0, violations, reproduce: psql(context, sql),
        detail: violations.length ? `${constraint.definition} is NOT VALID and ${violations.length}+ existing rows violate it` : `${constraint.definition} is NOT VALID`,
        caveat: 'it is NOT VALID (existing rows were never checked by the server; the probe found none violating)',
      });
      continue;
    }
    const found = await resolver.columns({ ...check.table, columns: Object.keys(check.reject) }, path);
    if (!found) continue;
    const attnums = found.columns.map((column) => column.attnum);
    const declaration = `check on ${table.display}(${Object.keys(check.reject).join(', ')})`;
    const covering = constraints.filter((candidate) => (check.name ? candidate.name === check.name : candidate.keys.some((key) => attnums.includes(key))));
    findings.push(covering.length > 0
      ? { declaration, path, holds: true, detail: covering.map((candidate) => `${candidate.name}: ${candidate.definition}`).join('; ') }
      : { declaration, path, holds: false, detail: check.name ? `no CHECK constraint named ${check.name} on ${table.display}` : `no CHECK constraint on ${table.display} mentions ${Object.keys(check.reject).join(', ')}` });
  }
  resolver.assertResolved();
  return findings;
}
