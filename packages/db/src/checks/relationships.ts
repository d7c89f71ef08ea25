import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { foreignKeys } from '../catalog/constraints.ts';
import { atLeast, countOf, orphanQuery, type Side } from '../catalog/orphans.ts';
import { Resolver, type Column, type Table } from '../catalog/resolve.ts';
import { count, listOf, psql, skipped } from '../evidence.ts';
import { DELETE_ACTION_WORDS, describeColumns, type RelationRef } from '../refs.ts';
import { session, type DbContext, type DbResources } from '../resources.ts';
import type { Queryable } from '../session.ts';

/** What the catalog and the data say about one declared relationship. */
interface Finding {
  relationship: string;
  path: string;
  holds: boolean;
  caveat?: string;
  detail: string;
  orphans?: unknown[];
  reproduce?: string;
}

interface Resolved {
  table: Table;
  columns: Column[];
}

const sideOf = (resolved: Resolved): Side => ({ table: resolved.table.sql, columns: resolved.columns.map((column) => column.name) });

/** Orphaned rows: up to 5 shown, counted up to 1000. */
async function orphans(context: DbContext, client: Queryable, child: Resolved, parent: Resolved) {
  const sample = orphanQuery(sideOf(child), sideOf(parent), 5);
  const rows = (await client.query(sample)).rows;
  const counted = rows.length === 0 ? 0 : (await client.query<{ n: number }>(countOf(orphanQuery(sideOf(child), sideOf(parent), 1_000)))).rows[0]!.n;
  return { sample: rows, counted, reproduce: psql(context, sample) };
}

const pairs = (from: readonly number[], to: readonly number[]) => from.map((column, index) => `${column}:${to[index]}`).sort().join(',');

/**
 * `db.integrity.relationships`: each declared foreign key exists (with the
 * declared ON DELETE action, if any) and, when it is NOT VALID, no row breaks
 * it; each declared soft relationship (kept by the application, without a
 * foreign key) has no orphaned rows. Read-only.
 */
export function relationshipsCheck(): Check<DbResources> {
  return {
    id: 'db.integrity.relationships',
    title: 'Declared foreign keys exist; no orphaned rows',
    checklist: [ITEMS.relationships, ITEMS.setupForeignKeys],
    async run(context) {
      const { foreignKeys: declared, relationships } = context.resources.settings;
      if (declared.length + relationships.length === 0) {
        return skipped('no relationships declared', 'declare expect.foreignKeys or expect.relationships ("orders.customer_id -> customers.id")');
      }
      const findings = await session(context, async (client) => {
        const resolver = new Resolver(client);
        const out: Finding[] = [];
        const resolve = async (ref: RelationRef, path: string) => {
          const child = await resolver.columns(ref.from, path);
          const parent = await resolver.columns(ref.to, path);
          return child && parent ? { child, parent } : undefined;
        };
        for (const { index, ref } of declared) {
          const path = `expect.foreignKeys[${index}]`;
          const sides = await resolve(ref, path);
          if (sides) out.push(await checkForeignKey(context, client, ref, path, sides.child, sides.parent));
        }
        for (const { index, ref } of relationships) {
          const path = `expect.relationships[${index}]`;
          const sides = await resolve(ref, path);
          if (!sides) continue;
          const found = await orphans(context, client, sides.child, sides.parent);
          out.push({
            relationship: `${describeColumns(ref.from)} -> ${describeColumns(ref.to)}`, path, holds: found.counted === 0,
            detail: found.counted ? `${atLeast(found.counted)} orphaned rows in ${sides.child.table.display}` : 'no orphaned rows',
            ...(found.counted ? { orphans: found.sample, reproduce: found.reproduce } : {}),
          });
        }
        resolver.assertResolved();
        return out;
      });
      const broken = findings.filter((finding) => !finding.holds);
      const caveats = findings.filter((finding) => finding.holds && finding.caveat);
      const evidence = { findings };
      if (broken.length > 0) return { status: 'fail', summary: `${count(broken.length, 'relationship')} of ${findings.length} broken: ${listOf(broken.map((finding) => `${finding.relationship} (${finding.detail})`), 2)}`, evidence };
      if (caveats.length > 0) return { status: 'warn', summary: `${findings.length} relationships hold, but ${listOf(caveats.map((finding) => `${finding.relationship}: ${finding.caveat}`), 2)}`, evidence };
      return { status: 'pass', summary: `all ${count(findings.length, 'declared relationship')} hold (foreign keys exist, no orphaned rows)`, evidence };
    },
  };
}

async function checkForeignKey(context: DbContext, client: Queryable, ref: RelationRef, path: string, child: Resolved, parent: Resolved): Promise<Finding> {
  const relationship = `${describeColumns(ref.from)} -> ${describeColumns(ref.to)}`;
  const wanted = pairs(child.columns.map((column) => column.attnum), parent.columns.map((column) => column.attnum));
  const existing = await foreignKeys(client, child.table.oid);
  const match = existing.find((fk) => fk.refOid === parent.table.oid && pairs(fk.columns, fk.refColumns) === wanted);
  if (!match) {
    return {
      relationship, path, holds: false,
      detail: `no foreign key ${child.table.display}(${child.columns.map((column) => column.name).join(', ')}) references ${parent.table.display}${existing.length ? `; it has ${existing.map((fk) => fk.definition).join(', ')}` : ''}`,
      reproduce: psql(context, `select conname, pg_get_constraintdef(oid) from pg_constraint where contype = 'f' and conrelid = '${child.table.sql.replaceAll("'", "''")}'::regclass`),
    };
  }
  if (ref.onDelete && match.onDelete !== ref.onDelete) {
    return { relationship, path, holds: false, detail: `${match.name} is ON DELETE ${DELETE_ACTION_WORDS[match.onDelete as keyof typeof DELETE_ACTION_WORDS].toUpperCase()}, declared ${DELETE_ACTION_WORDS[ref.onDelete].toUpperCase()}` };
  }
  if (match.validated) return { relationship, path, holds: true, detail: `${match.name}: ${match.definition}` };
  const found = await orphans(context, client, child, parent);
  return {
    relationship, path, holds: found.counted === 0,
    detail: found.counted ? `${match.name} is NOT VALID and ${atLeast(found.counted)} rows break it` : `${match.name} is NOT VALID`,
    caveat: `${match.name} is NOT VALID (the server never checked existing rows; the probe found no orphans)`,
    ...(found.counted ? { orphans: found.sample, reproduce: found.reproduce } : {}),
  };
}
