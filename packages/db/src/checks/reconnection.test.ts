import { describe, expect, it } from 'vitest';
import { only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.connection.reconnection';

describe.skipIf(!pgUrl)(ID, () => {
  it('recovers after its idle connection and a busy one are terminated; the busy query ends with 57P01', async () => {
    const result = only(await probeResults({ url: pgUrl! }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^the pool recovered from a terminated idle connection in [\d.]+ ms and from one killed mid-query \(57P01\) in [\d.]+ ms/);
    const idle = result.evidence.idle_kill as { killed_pid: number; new_pid: number };
    expect(idle.new_pid).not.toBe(idle.killed_pid);
    expect(result.metrics.map((metric) => metric.name)).toEqual(['recovery_idle_ms', 'recovery_busy_ms']);
  });

  it('fails when the pool does not serve a query again within the bound', async () => {
    const result = only(await probeResults({ url: pgUrl!, thresholds: { reconnectMs: 1 } }, [ID]), ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^after terminating its idle connection the pool (served no query within 1 ms|recovered only after [\d.]+ ms \(> 1 ms\))/);
  });
});
