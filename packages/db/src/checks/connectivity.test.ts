import { inject, describe, expect, it } from 'vitest';
import { only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.connection.connectivity';

describe.skipIf(!pgUrl)(ID, () => {
  it('connects, reports the server version and the round-trip latency', async () => {
    const result = only(await probeResults({ url: pgUrl! }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^connected to PostgreSQL 1\d\.\d+ .* as postgres@test in [\d.]+ ms; round trip [\d.]+ ms$/);
    expect(result.evidence).toMatchObject({ database: 'test', user: 'postgres', in_recovery: false });
    expect(result.metrics.map((metric) => metric.name)).toEqual(['connect_ms', 'round_trip_ms']);
  });

  it('ends as error PROBE_ERR_UNREACHABLE at once when nothing listens, and the other checks do not wait', async () => {
    const started = performance.now();
    const results = await probeResults({ url: 'postgres://postgres@127.0.0.1:1/test' }, [ID, 'db.connection.stability', 'db.schema.primary-keys']);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(only(results, ID)).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_UNREACHABLE' } });
    expect(only(results, ID).error!.message).toMatch(/ECONNREFUSED/);
    for (const id of ['db.connection.stability', 'db.schema.primary-keys']) expect(only(results, id).status).toMatch(/error|skip/);
  });

  it('names a database that does not exist as a config error', async () => {
    const result = only(await probeResults({ url: pgUrl!.replace(/\/[^/]*$/, '/no_such_database_here') }, [ID]), ID);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG' } });
    expect(result.error!.message).toMatch(/database "no_such_database_here" does not exist \(SQLSTATE 3D000\) — check the database name in the URL/);
  });
});

describe('db.connection.connectivity against a server that enforces passwords', () => {
  const cluster = inject('privatePg');
  it.skipIf('error' in cluster)('ends as error PROBE_ERR_AUTH on a wrong password, without the password in the result', async () => {
    if ('error' in cluster) return;
    const url = cluster.url.replace(cluster.password, 'not-the-password');
    const result = only(await probeResults({ url }, [ID]), ID);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_AUTH' } });
    expect(result.error!.message).toMatch(/password authentication failed for user "postgres" \(SQLSTATE 28P01\)/);
    expect(JSON.stringify(result)).not.toContain('not-the-password');
    expect(result.target.url).toBe(`postgres://postgres:***@127.0.0.1:${new URL(cluster.url).port}/postgres`);
  });
});
