import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl, probeResults } from '../../test/fixtures.ts';
import { atomicity, isolation, savepoints } from './transactions.ts';

const ID = 'db.query.transactions';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('passes: atomicity, rollback to a savepoint and isolation hold', async () => {
    const result = only(await probeResults({ url: db.url }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.evidence.findings).toEqual([
      { property: 'atomicity', holds: true, detail: 'insert then 1/0 (22012), COMMIT answered ROLLBACK, 0 row(s) left' },
      { property: 'rollback', holds: true, detail: '1 row(s) after ROLLBACK TO SAVEPOINT (expected 1), 0 after ROLLBACK (expected 0)' },
      { property: 'isolation', holds: true, detail: 'a second connection saw 0 uncommitted row(s) (expected 0) and 1 committed (expected 1)' },
    ]);
  });

  describe('behind connections that break transactions', () => {
    let client: pg.Client;
    beforeAll(async () => {
      client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('create table tx_fixture (id int primary key)');
    });
    afterAll(async () => {
      await client.query('drop table tx_fixture');
      await client.end();
    });

    it('atomicity fails where BEGIN/COMMIT are dropped (statement-mode pooling): the insert survives the failed statement', async () => {
      const statementMode = { query: (sql: string) => (/^(begin|commit)$/.test(sql) ? client.query('select 1') : client.query(sql)) } as unknown as pg.ClientBase;
      const finding = await atomicity(statementMode, 'tx_fixture');
      expect(finding).toEqual({ property: 'atomicity', holds: false, detail: 'insert then 1/0 (22012), COMMIT answered SELECT, 1 row(s) left' });
      await client.query('delete from tx_fixture');
    });

    it('isolation fails where the "second connection" is the same session (a pooler handing out one backend twice)', async () => {
      const finding = await isolation(client, client, 'tx_fixture');
      expect(finding).toMatchObject({ property: 'isolation', holds: false, detail: 'a second connection saw 1 uncommitted row(s) (expected 0) and 1 committed (expected 1)' });
    });

    it('rollback fails where a savepoint is not honoured', async () => {
      const noSavepoints = { query: (sql: string) => (/savepoint/.test(sql) ? client.query('select 1') : client.query(sql)) } as unknown as pg.ClientBase;
      const finding = await savepoints(noSavepoints, 'tx_fixture');
      expect(finding).toEqual({ property: 'rollback', holds: false, detail: '2 row(s) after ROLLBACK TO SAVEPOINT (expected 1), 0 after ROLLBACK (expected 0)' });
    });
  });
});
