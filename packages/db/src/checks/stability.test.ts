import pg from 'pg';
import { newRunId } from '@probe/core';
import { describe, expect, it } from 'vitest';
import { only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.connection.stability';

describe.skipIf(!pgUrl)(ID, () => {
  it('passes with the latency spread when every round trip succeeds', async () => {
    const result = only(await probeResults({ url: pgUrl!, thresholds: { stabilityRounds: 30 } }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^30 round trips without error: p50 [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms$/);
    expect(result.metrics.find((metric) => metric.name === 'error_rate')?.value).toBe(0);
  });

  it('warns when p95 is above the threshold', async () => {
    const result = only(await probeResults({ url: pgUrl!, thresholds: { stabilityRounds: 20, stabilityP95Ms: 0.001 } }, [ID]), ID);
    expect(result.status).toBe('warn');
  });

  it('fails when connections keep dropping during the window', async () => {
    const runId = newRunId();
    const killer = new pg.Client({ connectionString: pgUrl });
    await killer.connect();
    let stop = false;
    const killing = (async () => {
      while (!stop) {
        await killer.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and state = 'idle'", [`probe-${runId}`]);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    try {
      const result = only(await probeResults({ url: pgUrl!, thresholds: { stabilityRounds: 300 } }, [ID], { runId }), ID);
      expect(result.status).toBe('fail');
      expect(result.summary).toMatch(/^\d+ of 300 round trips failed \(/);
    } finally {
      stop = true;
      await killing;
      await killer.end();
    }
  });
});
