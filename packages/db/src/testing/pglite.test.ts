import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineFactory } from './factory.ts';
import { createPgliteDatabase, usePgliteDatabase } from './pglite.ts';

const notes = defineFactory<{ id: number; body: string }>('notes', ({ sequence }) => ({ body: `note ${sequence}` }));

describe('usePgliteDatabase: in-memory PostgreSQL with the same helpers', () => {
  const db = usePgliteDatabase({ beforeAll, afterAll, beforeEach, afterEach }, {
    migrate: async (client) => { await client.query('create table notes (id serial primary key, body text not null unique); create index notes_body on notes (body);'); },
  });

  it('runs real PostgreSQL SQL with the factory', async () => {
    expect(db.url).toBeUndefined();
    const created = await notes.createMany(db.client, 2);
    expect(created.map((note) => note.id)).toEqual([1, 2]);
    await expect(notes.create(db.client, { body: created[0]!.body })).rejects.toMatchObject({ code: '23505' });
  });

  it('rolls each test back', async () => {
    expect((await db.client.query('select count(*)::int as n from notes')).rows).toEqual([{ n: 0 }]);
  });
});

describe('createPgliteDatabase', () => {
  let database: Awaited<ReturnType<typeof createPgliteDatabase>>;
  beforeAll(async () => { database = await createPgliteDatabase(); });
  afterAll(() => database?.close());

  it('runs multi-statement SQL and reports affected rows', async () => {
    const { client } = database;
    await client.query('create table t (id int); insert into t values (1), (2);');
    expect(await client.query('update t set id = id + $1', [10])).toMatchObject({ rowCount: 2 });
    expect((await client.query('select id from t order by id')).rows).toEqual([{ id: 11 }, { id: 12 }]);
  });
});
