import type { Check } from '@probe/core';
import type pg from 'pg';
import { ITEMS } from '../checklist.ts';
import { sqlState } from '../errors.ts';
import { scratchSchema, session, type DbResources } from '../resources.ts';

/** One property and whether it held. */
interface Finding {
  property: string;
  holds: boolean;
  detail: string;
}

/**
 * `db.query.transactions`: atomicity (a failing statement rolls back the whole
 * transaction, and COMMIT of a failed transaction rolls back), rollback to a
 * savepoint, and isolation (uncommitted rows are invisible to a second
 * connection). Runs in a table of the probe's scratch schema.
 */
export function transactionsCheck(): Check<DbResources> {
  return {
    id: 'db.query.transactions',
    title: 'Atomicity, rollback and isolation of transactions',
    checklist: [ITEMS.transactions],
    writes: true,
    async run(context) {
      return session(context, async (client) => {
        const table = `${await scratchSchema(context, client)}.transactions`;
        await client.query(`create table ${table} (id int primary key)`);
        try {
          const findings = [
            await atomicity(client, table),
            await savepoints(client, table),
            await session(context, (other) => isolation(client, other, table)),
          ];
          const broken = findings.filter((finding) => !finding.holds);
          if (broken.length > 0) return { status: 'fail', summary: broken.map((finding) => `${finding.property}: ${finding.detail}`).join('; '), evidence: { findings } };
          return { status: 'pass', summary: 'a failing statement rolled back its transaction, ROLLBACK TO SAVEPOINT undid only the later insert, and uncommitted rows stayed invisible to a second connection', evidence: { findings } };
        } finally {
          await client.query('rollback').catch(() => {});
          await client.query(`drop table if exists ${table}`);
        }
      });
    },
  };
}

const countOf = async (client: pg.ClientBase, table: string) => (await client.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

export async function atomicity(client: pg.ClientBase, table: string): Promise<Finding> {
  await client.query('begin');
  await client.query(`insert into ${table} values (1)`);
  let failedWith: string | undefined;
  try {
    await client.query('select 1 / 0');
  } catch (error) {
    failedWith = sqlState(error);
  }
  const commit = await client.query('commit');
  const left = await countOf(client, table);
  return {
    property: 'atomicity',
    holds: failedWith === '22012' && commit.command === 'ROLLBACK' && left === 0,
    detail: `insert then 1/0 (${failedWith ?? 'no error'}), COMMIT answered ${commit.command}, ${left} row(s) left`,
  };
}

export async function savepoints(client: pg.ClientBase, table: string): Promise<Finding> {
  await client.query('begin');
  await client.query(`insert into ${table} values (2)`);
  await client.query('savepoint probe');
  await client.query(`insert into ${table} values (3)`);
  await client.query('rollback to savepoint probe');
  const inside = await countOf(client, table);
  await client.query('rollback');
  const after = await countOf(client, table);
  return { property: 'rollback', holds: inside === 1 && after === 0, detail: `${inside} row(s) after ROLLBACK TO SAVEPOINT (expected 1), ${after} after ROLLBACK (expected 0)` };
}

export async function isolation(client: pg.ClientBase, other: pg.ClientBase, table: string): Promise<Finding> {
  await client.query('begin');
  await client.query(`insert into ${table} values (4)`);
  const uncommitted = await countOf(other, table);
  await client.query('rollback');
  await client.query(`insert into ${table} values (5)`);
  const committed = await countOf(other, table);
  await client.query(`delete from ${table}`);
  return {
    property: 'isolation',
    holds: uncommitted === 0 && committed === 1,
    detail: `a second connection saw ${uncommitted} uncommitted row(s) (expected 0) and ${committed} committed (expected 1)`,
  };
}
