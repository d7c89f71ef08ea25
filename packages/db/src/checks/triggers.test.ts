import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../../test/fixtures.ts';

const ID = 'db.integrity.triggers';
const SCHEMA = `
  create table orders (id serial primary key, quantity int not null, updated_at timestamptz not null default now(), version int not null default 1);
  create table audit (id serial primary key, order_id int, action text);
  create function touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); new.version := old.version + 1; return new; end $$;
  create function noop() returns trigger language plpgsql as $$ begin return new; end $$;
  create function log_it() returns trigger language plpgsql as $$ begin insert into audit (order_id, action) values (old.id, tg_op); return old; end $$;`;

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('passes when the declared triggers exist, are enabled and do their job (seen in a rolled-back write)', async () => {
    const fx = await db.fixture(`${SCHEMA}
      create trigger orders_touch before update on orders for each row execute function touch();
      create trigger orders_audit after delete on orders for each row execute function log_it();
      insert into orders (quantity) values (1);`);
    const result = only(await fx.probe([ID], { expect: { triggers: [
      { table: 'orders', name: 'orders_touch', fires: 'update', sets: 'updated_at' },
      { table: 'orders', name: 'orders_touch', fires: 'update', sets: 'version' },
      { table: 'orders', name: 'orders_audit', fires: 'delete', inserts: 'audit' },
    ] } }), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('all 3 declared triggers exist, are enabled and did their job in a rolled-back write');
    const details = (result.evidence.findings as { detail: string }[]).map((finding) => finding.detail);
    expect(details[0]).toMatch(/^an update set updated_at \(wrote 2000-01-01 00:00:00\+00, read 20\d\d-/);
    expect(details[1]).toBe('an update set version (wrote -1, read 2)');
    expect(details[2]).toBe(`a delete added 1 row(s) to ${fx.schema}.audit`);
    expect((await fx.sql('select (select count(*) from orders)::int as orders, (select count(*) from audit)::int as audit, (select version from orders) as version')).rows).toEqual([{ orders: 1, audit: 0, version: 1 }]);
  });

  it('fails on a trigger that does nothing, one that is disabled, one on the wrong event and one that is missing', async () => {
    const fx = await db.fixture(`${SCHEMA}
      create trigger orders_touch before update on orders for each row execute function noop();
      create trigger orders_audit after delete on orders for each row execute function log_it();
      alter table orders disable trigger orders_audit;
      create trigger orders_insert before insert on orders for each row execute function noop();`);
    const result = only(await fx.probe([ID], { expect: { triggers: [
      { table: 'orders', name: 'orders_touch', fires: 'update', sets: 'updated_at' },
      { table: 'orders', name: 'orders_audit', fires: 'delete', inserts: 'audit' },
      { table: 'orders', name: 'orders_insert', fires: 'update' },
      { table: 'orders', name: 'orders_gone' },
    ] } }), ID);
    expect(result.status).toBe('fail');
    expect((result.evidence.findings as { detail: string }[]).map((finding) => finding.detail)).toEqual([
      'an update writing 2000-01-01 00:00:00+00 to updated_at kept it: the trigger did not set it',
      'it is disabled (ALTER TABLE … DISABLE TRIGGER)',
      'it does not fire on UPDATE',
      'it does not exist',
    ]);
    expect(result.summary).toMatch(/^4 triggers of 4 broken: /);
  });

  it('checks an insert trigger on a made-up row', async () => {
    const fx = await db.fixture(`${SCHEMA}
      create function stamp() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
      create trigger orders_stamp before insert on orders for each row execute function stamp();`);
    const result = only(await fx.probe([ID], { expect: { triggers: [{ table: 'orders', name: 'orders_stamp', fires: 'insert', sets: 'updated_at' }] } }), ID);
    expect(result.status).toBe('pass');
    expect((await fx.sql('select count(*)::int as n from orders')).rows).toEqual([{ n: 0 }]);
  });

  it('is skipped under --read-only when it would write, but not when it only reads the catalog', async () => {
    const fx = await db.fixture(`${SCHEMA} create trigger orders_touch before update on orders for each row execute function touch();`);
    const writing = only(await fx.probe([ID], { expect: { triggers: [{ table: 'orders', name: 'orders_touch', fires: 'update', sets: 'updated_at' }] } }, { readOnly: true }), ID);
    expect(writing.status).toBe('skip');
    const reading = only(await fx.probe([ID], { expect: { triggers: [{ table: 'orders', name: 'orders_touch', fires: 'update' }] } }, { readOnly: true }), ID);
    expect(reading).toMatchObject({ status: 'pass', summary: 'all 1 declared trigger exist, are enabled' });
  });
});
