import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.query.index-usage';
const BIG = `create table events (id int primary key, account int, kind text);
  insert into events select g, g % 500, 'k' || (g % 3) from generate_series(1, 20000) g; analyze events;`;

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('fails on a Seq Scan of a large table, with the plan node and the EXPLAIN to see it', async () => {
    const fx = await db.fixture(BIG);
    const result = only(await fx.probe([ID], { queries: [{ name: 'events by account', sql: 'select * from events where account = $1', params: [7] }] }), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 of 1 declared queries: events by account: Seq Scan on events (~20000 rows > 10000)');
    const [plan] = result.evidence.plans as { node: Record<string, unknown>; reproduce: string }[];
    expect(plan!.node).toMatchObject({ 'Node Type': 'Seq Scan', 'Relation Name': 'events', Filter: '(events.account = 7)' });
    expect(plan!.reproduce).toMatch(/-c 'explain \(format json\) select \* from events where account = 7'$/);
  });

  it('passes once the index exists, naming it', async () => {
    const fx = await db.fixture(`${BIG} create index events_account on events (account); analyze events;`);
    const result = only(await fx.probe([ID], { queries: [{ name: 'events by account', sql: 'select * from events where account = $1', params: [7], mustUseIndex: 'events_account' }] }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('1 declared query: events by account: uses events_account');
  });

  it('fails when the plan does not use the named index', async () => {
    const fx = await db.fixture(`${BIG} create index events_account on events (account); create index events_kind on events (kind); analyze events;`);
    const result = only(await fx.probe([ID], { queries: [{ name: 'by account', sql: 'select * from events where account = $1', params: [7], mustUseIndex: 'events_kind' }] }), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^1 of 1 declared queries: by account: the plan does not use index events_kind \(/);
  });

  it('on a small table, where a Seq Scan is right, passes if the index is usable once sequential scans are off', async () => {
    const fx = await db.fixture('create table tiny (id int primary key, code text); create index tiny_code on tiny (code); insert into tiny values (1, \'a\'), (2, \'b\'); analyze tiny;');
    const result = only(await fx.probe([ID], { queries: [{ name: 'tiny by code', sql: 'select * from tiny where code = $1', params: ['a'], mustUseIndex: true }] }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^1 declared query: tiny by code: uses tiny_code once sequential scans are off \(the planner prefers a Seq Scan on tiny, ~2 rows\)$/);
  });

  it('fails on a small table when no index can serve the query', async () => {
    const fx = await db.fixture('create table tiny (id int primary key, code text); insert into tiny values (1, \'a\');');
    const result = only(await fx.probe([ID], { queries: [{ name: 'tiny by code', sql: 'select * from tiny where code = $1', params: ['a'], mustUseIndex: true }] }), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 of 1 declared queries: tiny by code: the plan does not use any index (Seq Scan on tiny)');
  });

  it('explains a writing query without running it', async () => {
    const fx = await db.fixture('create table tiny (id int primary key, code text); insert into tiny values (1, \'a\');');
    const result = only(await fx.probe([ID], { queries: [{ name: 'wipe', sql: 'delete from tiny where id = $1', params: [1] }] }), ID);
    expect(result.status).toBe('pass');
    expect((await fx.sql('select count(*)::int as n from tiny')).rows).toEqual([{ n: 1 }]);
  });

  it('reports a query that cannot be explained as a config error', async () => {
    const fx = await db.fixture('');
    const result = only(await fx.probe([ID], { queries: [{ name: 'ghost', sql: 'select * from nowhere' }] }), ID);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG', message: 'queries[0] (ghost) cannot be explained: relation "nowhere" does not exist (SQLSTATE 42P01) — fix the declared query' } });
  });
});
