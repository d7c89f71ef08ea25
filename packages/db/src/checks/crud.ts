import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { psql } from '../evidence.ts';
import { scratchSchema, session, type DbResources } from '../resources.ts';

/** One step of the round trip and what came back. */
interface Step {
  step: string;
  sql: string;
  rowCount: number | null;
  rows: unknown[];
  ok: boolean;
}

/**
 * `db.query.crud`: create, read, update and delete in a table of the probe's
 * own scratch schema (`probe_<runId>`, dropped afterwards), verifying the row
 * count and the values at each step.
 */
export function crudCheck(): Check<DbResources> {
  return {
    id: 'db.query.crud',
    title: 'Create, read, update and delete round trip',
    checklist: [ITEMS.crud],
    writes: true,
    async run(context) {
      return session(context, async (client) => {
        const schema = await scratchSchema(context, client);
        const table = `${schema}.crud`;
        await client.query(`create table ${table} (id serial primary key, name text not null, quantity int not null)`);
        const steps: Step[] = [];
        const step = async (name: string, sql: string, params: unknown[], expect: (rows: Record<string, unknown>[], rowCount: number | null) => boolean) => {
          const result = await client.query(sql, params);
          const ok = expect(result.rows, result.rowCount);
          steps.push({ step: name, sql, rowCount: result.rowCount, rows: result.rows.slice(0, 3), ok });
          return result.rows;
        };
        try {
          const [created] = await step('create', `insert into ${table} (name, quantity) values ($1, $2) returning id, name, quantity`, ['probe', 1],
            (rows, n) => n === 1 && rows[0]?.name === 'probe' && rows[0]?.quantity === 1);
          const id = created?.id;
          await step('read', `select name, quantity from ${table} where id = $1`, [id],
            (rows, n) => n === 1 && rows[0]?.name === 'probe' && rows[0]?.quantity === 1);
          await step('update', `update ${table} set quantity = quantity + 1 where id = $1 returning quantity`, [id],
            (rows, n) => n === 1 && rows[0]?.quantity === 2);
          await step('read after update', `select quantity from ${table} where id = $1`, [id], (rows) => rows[0]?.quantity === 2);
          await step('delete', `delete from ${table} where id = $1`, [id], (_rows, n) => n === 1);
          await step('read after delete', `select count(*)::int as n from ${table}`, [], (rows) => rows[0]?.n === 0);
        } finally {
          await client.query(`drop table if exists ${table}`);
        }
        const failed = steps.filter((candidate) => !candidate.ok);
        if (failed.length > 0) {
          const first = failed[0]!;
          return {
            status: 'fail',
            summary: `${first.step} returned ${first.rowCount} row(s) ${JSON.stringify(first.rows)}, not what was written`,
            evidence: { steps, reproduce: psql(context, first.sql) },
          };
        }
        return { status: 'pass', summary: `insert, select, update and delete each affected 1 row with the values written (in ${context.resources.scratchSchema})`, evidence: { steps } };
      });
    },
  };
}
