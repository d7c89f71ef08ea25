import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.schema.invalid-objects';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('fails on an invalid index (a CREATE UNIQUE INDEX CONCURRENTLY that failed)', async () => {
    const fx = await db.fixture("create table t (id int primary key, code text); insert into t values (1, 'a'), (2, 'a');");
    await expect(fx.sql('create unique index concurrently t_code_key on t (code)')).rejects.toThrow(/could not create unique index/);
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 invalid index (the server maintains but never uses them): t_code_key');
    expect(result.evidence.invalid_indexes).toEqual([{ index: 't_code_key', table: 't', definition: `CREATE UNIQUE INDEX t_code_key ON ${fx.schema}.t USING btree (code)` }]);
  });

  it('warns on NOT VALID constraints and duplicate indexes', async () => {
    const fx = await db.fixture(`create table t (id int primary key, a int, b int);
      create index t_a on t (a); create index t_a_b on t (a, b); create index t_b on t (b); create index t_b_again on t (b);
      alter table t add constraint t_a_positive check (a > 0) not valid;`);
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('warn');
    expect(result.evidence.not_valid_constraints).toEqual([{ table: 't', constraint: 't_a_positive', definition: 'CHECK ((a > 0)) NOT VALID' }]);
    expect(result.evidence.duplicate_indexes).toEqual([
      { index: 't_a', covered_by: 't_a_b', table: 't' },
      { index: 't_b_again', covered_by: 't_b', table: 't' },
    ]);
    expect(result.evidence.unused_indexes).toMatch(/^not judged: statistics are \d+ min old/);
  });

  it('reports unused indexes once the statistics are old enough to tell', async () => {
    const fx = await db.fixture('create table t (id int primary key, a int); create index t_a on t (a);');
    const result = only(await fx.probe([ID], { thresholds: { unusedIndexMinStatsAgeMs: 0 } }), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toBe('no invalid indexes, but 1 unused index (t_a: 0 scans)');
  });

  it('passes on a clean schema', async () => {
    const fx = await db.fixture('create table t (id int primary key, a int unique, b int); create index t_b on t (b);');
    const result = only(await fx.probe([ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('no invalid indexes, NOT VALID constraints or duplicate indexes');
  });
});
