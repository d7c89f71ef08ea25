import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { Resolver, type Column, type Table } from '../catalog/resolve.ts';
import { insertMadeUpRow, isTimeout, testRows } from '../catalog/rows.ts';
import { toDbError } from '../errors.ts';
import { count, listOf, psql, skipped } from '../evidence.ts';
import type { TriggerSpec } from '../options.ts';
import { quoteIdent } from '../refs.ts';
import { session, type DbContext, type DbResources } from '../resources.ts';
import { attempt, rolledBack, type Queryable } from '../session.ts';

/** What the catalog and a rolled-back write showed about one declared trigger. */
interface Finding {
  trigger: string;
  path: string;
  verdict: 'works' | 'broken' | 'inconclusive';
  detail: string;
  definition?: string;
  behaviour?: Record<string, unknown>;
  reproduce?: string;
}

/** `pg_trigger.tgtype` bits. */
const EVENT_BITS = { insert: 4, delete: 8, update: 16 } as const;

/** A value to write that a trigger setting the column will overwrite. */
function sentinel(column: Column): string | undefined {
  switch (column.category) {
    case 'D': return `'2000-01-01'::${column.type}`;
    case 'N': return `(-1)::${column.type}`;
    case 'S': return `'probe-sentinel'::${column.type}`;
    default: return undefined;
  }
}

/**
 * `db.integrity.triggers`: each declared trigger exists, is enabled, fires on
 * the declared event, and — where declared — does its job: a write of a
 * sentinel to the column it `sets` comes back changed, or the statement adds
 * rows to the table it `inserts` into. The writes run in a transaction that is
 * rolled back (BEFORE-trigger effects are read from RETURNING).
 */
export function triggersCheck(triggers: readonly TriggerSpec[]): Check<DbResources> {
  return {
    id: 'db.integrity.triggers',
    title: 'Declared triggers exist, are enabled and do their job',
    checklist: [ITEMS.triggers],
    writes: triggers.some((trigger) => trigger.sets !== undefined || trigger.inserts !== undefined),
    async run(context) {
      if (triggers.length === 0) return skipped('no triggers declared', 'declare expect.triggers: [{ table, name, fires, sets }]');
      const findings = await session(context, (client) => rolledBack(client, async () => {
        const resolver = new Resolver(client);
        const out: Finding[] = [];
        for (const trigger of triggers) {
          const path = `expect.triggers[${trigger.index}]`;
          const table = await resolver.table(trigger.table, path);
          const sets = table && trigger.sets ? await resolver.columns({ ...trigger.table, columns: [trigger.sets] }, `${path}.sets`) : undefined;
          const target = trigger.inserts ? await resolver.table(trigger.inserts, `${path}.inserts`) : undefined;
          if (!table || (trigger.sets && !sets) || (trigger.inserts && !target)) continue;
          out.push(await inspect(context, client, trigger, path, table, sets?.columns[0], target));
        }
        resolver.assertResolved();
        return out;
      }));
      const broken = findings.filter((finding) => finding.verdict === 'broken');
      const unsure = findings.filter((finding) => finding.verdict === 'inconclusive');
      const evidence = { findings };
      if (broken.length > 0) return { status: 'fail', summary: `${count(broken.length, 'trigger')} of ${findings.length} broken: ${listOf(broken.map((finding) => `${finding.trigger} (${finding.detail})`), 2)}`, evidence };
      if (unsure.length > 0) return { status: 'warn', summary: `${findings.length - unsure.length} of ${findings.length} triggers verified; not proven: ${listOf(unsure.map((finding) => `${finding.trigger}: ${finding.detail}`), 2)}`, evidence };
      return { status: 'pass', summary: `all ${count(findings.length, 'declared trigger')} exist, are enabled${findings.some((finding) => finding.behaviour) ? ' and did their job in a rolled-back write' : ''}`, evidence };
    },
  };
}

async function inspect(context: DbContext, client: Queryable, trigger: TriggerSpec, path: string, table: Table, sets: Column | undefined, target: Table | undefined): Promise<Finding> {
  const name = `${table.display}.${trigger.name}`;
  const { rows } = await client.query<{ enabled: string; type: number; definition: string }>(
    'select tgenabled as enabled, tgtype::int as type, pg_get_triggerdef(oid) as definition from pg_trigger where tgrelid = $1 and tgname = $2 and not tgisinternal',
    [table.oid, trigger.name],
  );
  const row = rows[0];
  if (!row) {
    const reproduce = psql(context, `select tgname, tgenabled from pg_trigger where tgrelid = '${table.sql.replaceAll("'", "''")}'::regclass and not tgisinternal`);
    return { trigger: name, path, verdict: 'broken', detail: 'it does not exist', reproduce };
  }
  const base = { trigger: name, path, definition: row.definition };
  if (row.enabled === 'D') return { ...base, verdict: 'broken', detail: 'it is disabled (ALTER TABLE … DISABLE TRIGGER)' };
  if (row.enabled === 'R') return { ...base, verdict: 'broken', detail: 'it fires only in replica sessions (ENABLE REPLICA TRIGGER)' };
  if (trigger.fires && (row.type & EVENT_BITS[trigger.fires]) === 0) {
    return { ...base, verdict: 'broken', detail: `it does not fire on ${trigger.fires.toUpperCase()}` };
  }
  if (!trigger.fires || (!sets && !target)) return { ...base, verdict: 'works', detail: 'exists and is enabled' };
  return { ...base, ...await exercise(client, trigger.fires, table, sets, target) };
}

/** Fire the trigger with one write inside a savepoint and look at its effect. */
async function exercise(client: Queryable, fires: 'insert' | 'update' | 'delete', table: Table, sets: Column | undefined, target: Table | undefined): Promise<Pick<Finding, 'verdict' | 'detail' | 'behaviour'>> {
  const written = sets ? sentinel(sets) : undefined;
  if (sets && !written) return { verdict: 'inconclusive', detail: `cannot pick a sentinel value of type ${sets.type} for ${sets.name}` };
  const rowsIn = async () => target ? (await client.query<{ n: number }>(`select count(*)::int as n from ${target.sql}`)).rows[0]!.n : 0;
  const result = await attempt(client, async () => {
    // A row to update or delete is found (or made up) first, so only the statement under test is counted.
    const [row] = fires === 'insert' ? [] : (await testRows(client, table, 1)).ctids;
    const before = await rowsIn();
    let value: unknown;
    if (fires === 'insert') {
      const ctid = await insertMadeUpRow(client, table, sets ? { [sets.name]: written! } : {});
      if (sets) value = (await client.query(`select ${quoteIdent(sets.name)}::text as v, ${written}::text as w from ${table.sql} where ctid = $1::tid`, [ctid])).rows[0];
    } else {
      if (fires === 'delete') await client.query(`delete from ${table.sql} where ctid = $1::tid`, [row]);
      else if (sets) value = (await client.query(`update ${table.sql} set ${quoteIdent(sets.name)} = ${written} where ctid = $1::tid returning ${quoteIdent(sets.name)}::text as v, ${written}::text as w`, [row])).rows[0];
      else {
        const first = (await client.query<{ name: string }>('select attname as name from pg_attribute where attrelid = $1 and attnum > 0 and not attisdropped order by attnum limit 1', [table.oid])).rows[0]!.name;
        await client.query(`update ${table.sql} set ${quoteIdent(first)} = ${quoteIdent(first)} where ctid = $1::tid`, [row]);
      }
    }
    return { before, after: await rowsIn(), value: value as { v: string | null; w: string } | undefined };
  });
  if (!result.ok) {
    if (isTimeout(result.error)) throw toDbError(result.error, 'firing a trigger');
    return { verdict: 'inconclusive', detail: `the ${fires} that should fire it failed: ${(result.error as Error).message}` };
  }
  const { before, after, value } = result.value;
  const statement = `${fires === 'delete' ? 'a' : 'an'} ${fires}`;
  const behaviour = { statement: fires, ...(sets ? { column: sets.name, wrote: value?.w, read_back: value?.v } : {}), ...(target ? { table: target.display, rows_before: before, rows_after: after } : {}) };
  if (sets && value && value.v === value.w) return { verdict: 'broken', detail: `${statement} writing ${value.w} to ${sets.name} kept it: the trigger did not set it`, behaviour };
  if (target && after <= before) return { verdict: 'broken', detail: `${statement} added no row to ${target.display}`, behaviour };
  return { verdict: 'works', detail: [sets ? `${statement} set ${sets.name} (wrote ${value?.w}, read ${value?.v})` : '', target ? `${statement} added ${after - before} row(s) to ${target.display}` : ''].filter(Boolean).join('; '), behaviour };
}
