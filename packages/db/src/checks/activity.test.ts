import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.query.activity';

describe.skipIf(!pgUrl)(ID, () => {
  const db = fixtureDatabase();

  it('passes when nothing is blocked, long-running or idle in a transaction', async () => {
    const result = only(await probeResults({ url: db.url }, [ID]), ID);
    expect(result).toMatchObject({ status: 'pass', summary: 'no blocked sessions, none active or idle in a transaction for more than 60 s' });
  });

  it('warns on a session blocked by another one that sits idle in a transaction holding the lock', async () => {
    await db.pool.query('create table hot (id int primary key, n int); insert into hot values (1, 0)');
    const holder = new pg.Client({ connectionString: db.url, application_name: 'app-holder' });
    const waiter = new pg.Client({ connectionString: db.url, application_name: 'app-waiter' });
    await holder.connect();
    await waiter.connect();
    try {
      await holder.query("begin; update hot set n = n + 1 where id = 1; select 'secret-literal'");
      const blocked = waiter.query("update hot set n = n + 1 where id = 1 and 'x' <> 'secret-literal'").catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const result = only(await probeResults({ url: db.url, thresholds: { longRunningMs: 200 } }, [ID]), ID);
      expect(result.status).toBe('warn');
      expect(result.summary).toMatch(/^2 sessions holding things up: pid \d+ (blocked by \d+|idle in transaction) \([\d.]+ s\), pid \d+ (blocked by \d+|idle in transaction) \([\d.]+ s\)$/);
      expect(result.summary).toContain('idle in transaction');
      expect(result.summary).toMatch(/blocked by \d+/);
      const sessions = result.evidence.sessions as { application: string; query: string }[];
      expect(sessions.map((session) => session.application).sort()).toEqual(['app-holder', 'app-waiter']);
      expect(JSON.stringify(sessions)).not.toContain('secret-literal');
      await holder.query('rollback');
      await blocked;
    } finally {
      await holder.end();
      await waiter.end();
    }
  });
});
