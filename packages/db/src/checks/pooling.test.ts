import { describe, expect, inject, it } from 'vitest';
import { only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.connection.pooling';

describe.skipIf(!pgUrl)(ID, () => {
  it('gets a distinct backend for each of the pool size clients; a waiting client times out cleanly', async () => {
    const result = only(await probeResults({ url: pgUrl!, pool: { size: 5, acquireTimeoutMs: 100 } }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^5 concurrent clients got distinct connections; a waiting client gave up after \d+(\.\d)? ms; \d+% of max_connections in use \(\d+\/\d+\)$/);
    expect(result.evidence).toMatchObject({ backends: 5, waiting_client: { error: 'timeout exceeded when trying to connect' }, after_release: { waiting: 0 } });
    const waited = (result.evidence.waiting_client as { after_ms: number }).after_ms;
    expect(waited).toBeGreaterThanOrEqual(95);
    expect(waited).toBeLessThan(700);
  });

  it('warns when the connections in use pass the warning ratio', async () => {
    const result = only(await probeResults({ url: pgUrl!, pool: { size: 2 }, thresholds: { connectionsWarnRatio: 0.001 } }, [ID]), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/but \d+% of max_connections are in use \(\d+\/\d+, warn at 0%\)$/);
  });
});

describe(`${ID} on a small server`, () => {
  const cluster = inject('privatePg');
  it.skipIf('error' in cluster)('fails when the pool size does not fit in the free connection slots (and opens only what fits)', async () => {
    if ('error' in cluster) return;
    const result = only(await probeResults({ url: cluster.url, pool: { size: 500, acquireTimeoutMs: 100 } }, [ID]), ID);
    expect(result.status).toBe('fail');
    // Other test files share this server, so a client of the burst may also meet a full server; the verdict holds either way.
    expect(result.summary).toMatch(/the pool size 500 does not fit: only \d+ connection slots are free \(\d+ of 37 in use, 3 kept for others\)$/);
    expect((result.evidence.pool as { exercised: number }).exercised).toBeLessThan(37);
  });
});
