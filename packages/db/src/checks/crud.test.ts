import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { fixtureDatabase, only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.query.crud';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('creates, reads, updates and deletes in its scratch schema, and drops it afterwards', async () => {
    const result = only(await probeResults({ url: db.url }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^insert, select, update and delete each affected 1 row with the values written \(in probe_\w+\)$/);
    expect((result.evidence.steps as { step: string; ok: boolean }[]).map((step) => `${step.step}:${step.ok}`)).toEqual([
      'create:true', 'read:true', 'update:true', 'read after update:true', 'delete:true', 'read after delete:true',
    ]);
    const { rows } = await db.pool.query("select nspname from pg_namespace where nspname like 'probe\\_%'");
    expect(rows).toEqual([]);
  });

  it('fails when a DDL hook of the database makes updates silently do nothing', async () => {
    await db.pool.query(`
      create function swallow() returns trigger language plpgsql as $$ begin return null; end $$;
      create function hook() returns event_trigger language plpgsql as $$
        declare r record;
        begin
          for r in select * from pg_event_trigger_ddl_commands() where command_tag = 'CREATE TABLE' and schema_name like 'probe\\_%' loop
            execute format('create trigger swallow before update on %s for each row execute function swallow()', r.object_identity);
          end loop;
        end $$;
      create event trigger swallow_updates on ddl_command_end execute function hook();`);
    try {
      const result = only(await probeResults({ url: db.url }, [ID]), ID);
      expect(result.status).toBe('fail');
      expect(result.summary).toBe('update returned 0 row(s) [], not what was written');
      expect(result.evidence.reproduce).toMatch(/-c 'update "probe_\w+"\.crud set quantity = quantity \+ 1 where id = \$1 returning quantity'$/);
    } finally {
      await db.pool.query('drop event trigger swallow_updates; drop function hook(); drop function swallow()');
    }
  });
});

describe(`${ID} without the privilege to create a schema`, () => {
  const cluster = inject('privatePg');
  it.skipIf('error' in cluster)('ends as error PROBE_ERR_AUTH naming the missing privilege', async () => {
    if ('error' in cluster) return;
    const role = `crud_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`create role ${role} login password 'pw'`);
    try {
      const url = new URL(cluster.url);
      url.username = role;
      url.password = 'pw';
      const result = only(await probeResults({ url: url.toString() }, [ID]), ID);
      expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_AUTH' } });
      expect(result.error!.message).toMatch(/^permission denied for database postgres \(SQLSTATE 42501\)/);
    } finally {
      await admin.query(`drop role ${role}`);
      await admin.end();
    }
  });
});
