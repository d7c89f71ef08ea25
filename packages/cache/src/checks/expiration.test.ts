import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRespProxy, type RespProxy } from '../../test/support/resp-proxy.ts';
import { runCheck, sharedUrl } from '../../test/support/run.ts';

const ID = 'cache.ops.expiration';

describe.skipIf(!sharedUrl)('cache.ops.expiration', () => {
  let stripping: RespProxy;
  let stretching: RespProxy;
  beforeAll(async () => {
    const { hostname, port } = new URL(sharedUrl!);
    const target = { host: hostname, port: Number(port || 6379) };
    const isSet = (args: Buffer[]) => args[0]?.toString().toUpperCase() === 'SET';
    // A middlebox (or client wrapper) that drops the TTL of SET: keys live forever.
    stripping = await startRespProxy({ target, rewrite: (args) => (isSet(args) ? args.slice(0, 3) : args) });
    // One that turns PX into EX: the TTL is applied, but 1000 times too long.
    stretching = await startRespProxy({ target, rewrite: (args) => (isSet(args) && args[3]?.toString() === 'PX' ? [...args.slice(0, 3), Buffer.from('EX'), ...args.slice(4)] : args) });
  });
  afterAll(async () => {
    await Promise.all([stripping.close(), stretching.close()]);
  });

  it('passes when the key is readable at half its TTL and gone right after it, reporting the lag', async () => {
    const result = await runCheck({ url: sharedUrl!, sample: { ttlMs: 150 } }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^a key set with PX 150 was readable at 75 ms and gone \d+ ms after its TTL \(tolerance 250 ms\)$/);
    expect(result.evidence.pttlAfterSet).toBeGreaterThan(100);
    expect(result.evidence.expiryLagMs).toBeLessThan(250);
    expect(result.metrics.map((metric) => metric.name)).toEqual(['cache.expiry_lag_ms', 'cache.pttl_after_set_ms']);
  });

  it('fails when the TTL never reaches the server (PTTL -1)', async () => {
    const result = await runCheck({ url: stripping.url, sample: { ttlMs: 150 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^the TTL was not applied: PTTL answered -1 \(no expiry\) right after SET probe:\w+:ttl \w+ PX 150$/);
    expect(result.evidence.repro).toMatch(/PTTL probe:repro:ttl/);
  });

  it('fails when the server holds the key longer than the TTL that was asked for', async () => {
    const result = await runCheck({ url: stretching.url, sample: { ttlMs: 150 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^PTTL 1[45]\d{4} ms is above the 150 ms that was set$/);
  });
});
