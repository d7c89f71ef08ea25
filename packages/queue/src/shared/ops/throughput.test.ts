import { describe, expect, it } from 'vitest';
import { BROKERS } from '../../../test/support/brokers.ts';
import { runCheck } from '../../../test/support/run.ts';

describe.each(BROKERS)('queue.ops.throughput on $name', (fixture) => {
  it.skipIf(!fixture.url)('reports msgs/s and MB/s both ways', async () => {
    const result = await runCheck(fixture.probe(), 'queue.ops.throughput');
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^published 500 × 256 B at [\d.]+ msgs\/s \([\d.]+ MB\/s\); consumed at [\d.]+ msgs\/s \([\d.]+ MB\/s\)$/);
    expect(result.metrics.map((metric) => metric.name)).toEqual(['queue.publish_rate', 'queue.publish_mbps', 'queue.consume_rate', 'queue.consume_mbps']);
    expect(result.evidence).toMatchObject({ sent: 500, received: 500 });
  });

  it.skipIf(!fixture.url)('fails below the configured minimum rates, and stops at the time bound', async () => {
    const result = await runCheck(fixture.probe({ thresholds: { minPublishRate: 1e9, minConsumeRate: 1e9 }, ops: { throughputMessages: 100_000, messageBytes: 64, throughputTimeMs: 300 } }), 'queue.ops.throughput');
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^publish rate [\d.]+ msgs\/s is below the 1000000000 msgs\/s minimum; consume rate [\d.]+ msgs\/s is below the 1000000000 msgs\/s minimum/);
    expect(result.evidence.sent as number).toBeLessThan(100_000);
  });
});
