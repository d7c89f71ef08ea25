import { fileURLToPath } from 'node:url';
import { run } from '@probe/core';
import { collectEvents, describeConformance } from '@probe/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgUrl } from '../test/fixtures.ts';
import { FINGERPRINT_SQL, SHOP_DECLARATIONS, SHOP_SCHEMA } from '../test/realistic.ts';
import { postgres } from './index.ts';
import { createTestDatabase, type TestDatabase } from './testing/database.ts';

const CANARY = 'canary-Pa55word-do-not-leak';
const migrations = { dir: fileURLToPath(new URL('../test/migrations', import.meta.url)), format: 'sql' as const };

describe.skipIf(!pgUrl)('the db probe against a realistic schema with data', () => {
  let database: TestDatabase;
  let admin: pg.Pool;
  /** The per-file database's URL with a canary password (the test server trusts 127.0.0.1, so it connects anyway). */
  let url = '';
  beforeAll(async () => {
    database = await createTestDatabase({ url: pgUrl!, prefix: 'db_conformance' });
    admin = new pg.Pool({ connectionString: database.url, max: 2 });
    await admin.query(SHOP_SCHEMA);
    const parsed = new URL(database.url);
    parsed.password = CANARY;
    url = parsed.toString();
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  /**
   * Every table's rows and checksum, every sequence, every schema — except audit_log's sequence: the declared
   * audit trigger, fired in a rolled-back delete, takes a value from it (sequences are not transactional; a gap, no data).
   */
  const fingerprint = async () => ((await admin.query(FINGERPRINT_SQL)).rows[0].fingerprint as { name: string }[])
    .filter((entry) => entry.name !== 'sequence public.audit_log_id_seq');
  /** Schemas, databases and open sessions named with the run id. */
  const leftovers = async (runId: string) => {
    const named = `%${runId}%`;
    for (let attempt = 0; ; attempt++) {
      const { rows } = await admin.query<{ what: string }>(
        `select 'schema ' || nspname as what from pg_namespace where nspname like $1
         union all select 'database ' || datname from pg_database where datname like $1
         union all select 'session ' || pid from pg_stat_activity where application_name like $1`,
        [named],
      );
      // A closed connection may take a moment to leave pg_stat_activity.
      if (rows.length === 0 || attempt >= 20 || rows.some((row) => !row.what.startsWith('session'))) return rows.map((row) => row.what);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  describeConformance({
    name: '@probe/db',
    domain: 'db',
    probe: () => postgres({ url, ...SHOP_DECLARATIONS, migrations }),
    fingerprint,
    leftovers,
    secrets: [CANARY],
    abortAfterMs: 400,
  });

  it('aborted at several points, it always leaves the data as it was and nothing behind', async () => {
    const before = await fingerprint();
    for (const abortAfterMs of [20, 80, 200, 600]) {
      const controller = new AbortController();
      const runId = `abort${abortAfterMs}x${Date.now().toString(36)}`;
      setTimeout(() => controller.abort('SIGINT'), abortAfterMs);
      await run([postgres({ url, ...SHOP_DECLARATIONS, migrations })], { runId, signal: controller.signal, reporters: [collectEvents()] });
      expect(await leftovers(runId), `aborted after ${abortAfterMs} ms`).toEqual([]);
    }
    expect(await fingerprint()).toEqual(before);
  }, 15_000);

  it('finds nothing wrong with the realistic schema, and the whole probe (migrations excluded) takes under 5 s', async () => {
    const started = performance.now();
    const summary = await run([postgres({ url, ...SHOP_DECLARATIONS })], { reporters: [collectEvents()] });
    const wallMs = performance.now() - started;
    const statuses = Object.fromEntries(summary.results.map((result) => [result.id, result.status]));
    expect(statuses).toEqual({
      'db.connection.connectivity': 'pass',
      'db.connection.credentials': 'warn', // the test server trusts 127.0.0.1 and the role is a superuser: both true
      'db.connection.pooling': 'pass',
      'db.connection.reconnection': 'pass',
      'db.connection.stability': 'pass',
      'db.query.crud': 'pass',
      'db.query.transactions': 'pass',
      'db.query.constraints': 'pass',
      'db.query.performance': 'pass',
      'db.query.index-usage': 'pass',
      'db.query.execution': 'skip',
      'db.query.activity': 'pass',
      'db.schema.primary-keys': 'pass',
      'db.schema.foreign-key-indexes': 'pass',
      'db.schema.invalid-objects': 'pass',
      'db.integrity.constraints': 'pass',
      'db.integrity.relationships': 'pass',
      'db.integrity.triggers': 'pass',
      'db.integrity.consistency': 'pass',
    });
    console.info(`whole probe against the shop schema (${summary.results.length} checks, migrations excluded): ${Math.round(wallMs)} ms`);
    expect(wallMs).toBeLessThan(5_000);
  }, 10_000);
});
