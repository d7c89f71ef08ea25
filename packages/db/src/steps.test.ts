import { describe, expect, it } from 'vitest';
import { defineFlow, defineProbe, expectStep, run, type FlowStep, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { fixtureDatabase, pgUrl } from '../test/fixtures.ts';
import { sqlStep } from './steps.ts';

async function runFlow(steps: FlowStep[]): Promise<Result> {
  const events = collectEvents();
  await run([defineProbe({ target: { kind: 'system', name: 'shop' }, checks: [defineFlow({ name: 'order', steps, timeoutMs: 3_000 })] })], { reporters: [events] });
  return (events.events.find((event) => event.type === 'check-end') as { result: Result }).result;
}

describe.skipIf(!pgUrl)('sqlStep', () => {
  const db = fixtureDatabase();

  it('reads rows with parameters from earlier steps and waits for a row written later', async () => {
    const fx = await db.fixture('create table orders (id int primary key, total int not null)');
    setTimeout(() => { void fx.sql('insert into orders values (7, 30)'); }, 150);
    const result = await runFlow([
      { name: 'placed', run: () => ({ id: 7 }) },
      sqlStep({
        name: 'row', url: fx.url, sql: 'select id, total from orders where id = $1', params: (state) => [(state.placed as { id: number }).id],
        expect: ({ rows }) => expectStep(rows[0]?.total === 30, `no order 7 with total 30, got ${JSON.stringify(rows)}`), eventually: { withinMs: 2_000, intervalMs: 25 },
      }),
    ]);
    expect(result.status).toBe('pass');
    const output = (result.evidence.steps as { output: { rows: unknown[]; attempts: number } }[])[1]!.output;
    expect(output.rows).toEqual([{ id: 7, total: 30 }]);
    expect(output.attempts).toBeGreaterThan(1);
  });

  it('fails naming the step, with the query, the rows and a psql line whose password is hidden', async () => {
    const fx = await db.fixture('create table orders (id int primary key, total int not null); insert into orders values (1, 25)');
    const url = new URL(fx.url);
    url.password = 'canary-secret';
    const result = await runFlow([sqlStep({
      name: 'row', target: 'orders-db', url: url.toString(), sql: 'select total from orders where id = $1', params: [1],
      expect: ({ rows }) => (rows[0]?.total === 30 ? true : `orders.total is ${String(rows[0]?.total)}, the API said 30`),
    })]);
    expect(result.summary).toBe('flow order failed at step 1/1 "row" (orders-db): orders.total is 25, the API said 30');
    const output = (result.evidence.steps as { output: Record<string, unknown> }[])[0]!.output;
    expect(output).toMatchObject({ sql: 'select total from orders where id = $1', params: [1], rows: [{ total: 25 }] });
    expect(output.reproduce).toMatch(/^psql 'postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/.*' -c 'select total from orders where id = 1'$/);
    expect(JSON.stringify(result)).not.toContain('canary-secret');
  });

  it('refuses to write: the transaction is READ ONLY', async () => {
    const fx = await db.fixture('create table orders (id int primary key)');
    const result = await runFlow([sqlStep({ name: 'sneaky', url: fx.url, sql: 'insert into orders values (1)' })]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'DB_ERR_SQL' } });
    expect(result.error!.message).toMatch(/read-only transaction/);
    expect((await fx.sql('select count(*)::int as n from orders')).rows[0].n).toBe(0);
  });

  it('is an error naming the cause when the server cannot be reached, without the password', async () => {
    const result = await runFlow([sqlStep({ name: 'row', url: 'postgres://app:canary-pw@127.0.0.1:1/app', sql: 'select 1' })]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_UNREACHABLE' } });
    expect(JSON.stringify(result)).not.toContain('canary-pw');
  });
});
