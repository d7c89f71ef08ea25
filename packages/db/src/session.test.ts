import { newRunId } from '@probe/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { fixtureDatabase, only, pgUrl } from '../test/fixtures.ts';
import { createSessionPool, sessionConfig, withClient } from './session.ts';

describe.skipIf(!pgUrl)('probe sessions', () => {
  const db = fixtureDatabase();

  it('carry statement_timeout, lock_timeout, idle_in_transaction_session_timeout, the run id and a client check interval', async () => {
    const runId = newRunId();
    const pool = createSessionPool(sessionConfig(db.url, runId, { statementTimeoutMs: 1_234, lockTimeoutMs: 321 }), 1);
    try {
      const { rows } = await pool.query(`select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock,
        current_setting('idle_in_transaction_session_timeout') as idle, current_setting('application_name') as app,
        current_setting('client_connection_check_interval') as check_interval`);
      expect(rows).toEqual([{ statement: '1234ms', lock: '321ms', idle: '10s', app: `probe-${runId}`, check_interval: '1s' }]);
    } finally {
      await pool.end();
    }
  });

  it('give up after lock_timeout instead of queueing behind the application\'s lock', async () => {
    const fx = await db.fixture('create table busy (id serial primary key, email text unique)');
    const app = new pg.Client({ connectionString: db.url });
    await app.connect();
    try {
      await app.query(`begin; lock table ${fx.schema}.busy in access exclusive mode`);
      const started = performance.now();
      const result = only(await fx.probe(['db.query.constraints'], { session: { lockTimeoutMs: 200 }, expect: { unique: ['busy.email'] } }), 'db.query.constraints');
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_TIMEOUT' } });
      expect(result.error!.message).toMatch(/canceling statement due to lock timeout .*\(SQLSTATE 55P03\) — the application holds a lock the probe needed; the probe gave up after lock_timeout instead of blocking it/);
    } finally {
      await app.query('rollback');
      await app.end();
    }
  });

  it('abort while waiting for a pooled client: the client that arrives later goes back once, not twice', async () => {
    const pool = createSessionPool(sessionConfig(db.url, newRunId(), { statementTimeoutMs: 1_000, lockTimeoutMs: 500 }), 1);
    const problems: unknown[] = [];
    pool.on('error', (error) => problems.push(error));
    try {
      const held = await pool.connect();
      const controller = new AbortController();
      const waiting = withClient(pool, controller.signal, new Set(), async () => 'ran').catch((error: unknown) => error);
      controller.abort(new Error('aborted'));
      expect(await waiting).toMatchObject({ message: 'aborted' });
      expect(() => held.release()).not.toThrow();   // hands the client to the aborted waiter, which must release it exactly once
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(problems).toEqual([]);
      expect(pool.waitingCount).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
