import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureDatabase, only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.query.execution';

describe.skipIf(!pgUrl)(`${ID} where pg_stat_statements is not loaded`, () => {
  const db = fixtureDatabase();

  it('skips with the reason when the extension is not installed', async () => {
    const result = only(await probeResults({ url: db.url }, [ID]), ID);
    expect(result).toMatchObject({ status: 'skip', reason: "pg_stat_statements is not installed in this database (it needs shared_preload_libraries = 'pg_stat_statements', a restart, then CREATE EXTENSION pg_stat_statements)" });
  });

  it('skips with the server\'s reason when it is installed but not preloaded', async () => {
    await db.pool.query('create extension pg_stat_statements');
    try {
      const result = only(await probeResults({ url: db.url }, [ID]), ID);
      expect(result.status).toBe('skip');
      expect(result.reason).toBe('pg_stat_statements is installed but not loaded: pg_stat_statements must be loaded via shared_preload_libraries');
    } finally {
      await db.pool.query('drop extension pg_stat_statements');
    }
  });
});

describe(`${ID} on a server that preloads pg_stat_statements`, () => {
  const cluster = inject('privatePg');
  const admin = 'url' in cluster ? new pg.Pool({ connectionString: cluster.url, max: 1 }) : undefined;
  beforeAll(async () => {
    await admin?.query('create extension if not exists pg_stat_statements; select pg_stat_statements_reset()');
    for (let index = 0; index < 12; index++) await admin?.query('select pg_sleep(0.004), $1::int as probe_marker', [index]);
  });
  afterAll(async () => {
    await admin?.query('drop extension if exists pg_stat_statements');
    await admin?.end();
  });

  it.skipIf(!admin)('warns on statements that are slow on average over enough calls, masking literals', async () => {
    const result = only(await probeResults({ url: (cluster as { url: string }).url, thresholds: { slowQueryMs: 3, slowQueryCalls: 10 } }, [ID]), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^1 slow statement \(mean ≥ 3 ms over ≥ 10 calls\): select pg_sleep\(\$\d\), \$\d::int as probe_marker \([\d.]+ ms × 12\)$/);
    expect(result.metrics.find((metric) => metric.name === 'slow_statements')?.value).toBe(1);
  });

  it.skipIf(!admin)('passes under pghero\'s defaults (mean ≥ 20 ms over ≥ 100 calls)', async () => {
    const result = only(await probeResults({ url: (cluster as { url: string }).url }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^no statement averages ≥ 20 ms over ≥ 100 calls \(\d+ statements tracked\)$/);
  });
});
