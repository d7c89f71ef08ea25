import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRespProxy, type RespProxy } from '../../test/support/resp-proxy.ts';
import { runCheck, sharedUrl } from '../../test/support/run.ts';

const ID = 'cache.ops.latency';

describe.skipIf(!sharedUrl)('cache.ops.latency', () => {
  let slow: RespProxy;
  beforeAll(async () => {
    const { hostname, port } = new URL(sharedUrl!);
    // A slow network: every command waits 8 ms on its way to Redis.
    slow = await startRespProxy({ target: { host: hostname, port: Number(port || 6379) }, delayMs: 8 });
  });
  afterAll(() => slow.close());

  it('passes on loopback, with percentiles per command', async () => {
    // Thresholds far above loopback: this asserts the shape, not this machine's load at the time.
    const result = await runCheck({ url: sharedUrl!, sample: { burst: 50 }, thresholds: { latencyP99WarnMs: 500, latencyP99FailMs: 1_000 } }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^150 round trips: PING p50 [\d.]+ \/ p99 [\d.]+ ms, GET p50 [\d.]+ \/ p99 [\d.]+ ms, SET p50 [\d.]+ \/ p99 [\d.]+ ms$/);
    expect(Object.keys(result.evidence.commands as object)).toEqual(['PING', 'GET', 'SET']);
    expect(result.metrics.map((metric) => metric.name)).toContain('cache.latency.get.p99_ms');
  });

  it('fails when p99 is above the fail threshold', async () => {
    const result = await runCheck({ url: slow.url, sample: { burst: 5 }, thresholds: { latencyP99WarnMs: 2, latencyP99FailMs: 5 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^(PING|GET|SET) p99 (8|9|\d\d)(\.\d+)? ms is above 5 ms \(PING p50/);
  });

  it('warns between the warn and fail thresholds', async () => {
    const result = await runCheck({ url: slow.url, sample: { burst: 5 }, thresholds: { latencyP99WarnMs: 5, latencyP99FailMs: 500 } }, ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/ is above 5 ms \(/);
  });

  it('bounds the burst in time, and measures no SET in read-only mode', async () => {
    const result = await runCheck({ url: slow.url, sample: { burst: 1_000, burstTimeMs: 100 }, thresholds: { latencyP99FailMs: 500 } }, ID, { readOnly: true });
    expect(result.durationMs).toBeLessThan(400);
    expect(Object.keys(result.evidence.commands as object)).toEqual(['PING', 'GET']);
    expect(result.evidence.note).toBe('read-only mode: SET was not measured');
  });
});
