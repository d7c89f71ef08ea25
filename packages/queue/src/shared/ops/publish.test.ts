import { describe, expect, it } from 'vitest';
import { BROKERS, broker } from '../../../test/support/brokers.ts';
import { runCheck } from '../../../test/support/run.ts';

describe.each(BROKERS)('queue.ops.publish on $name', (fixture) => {
  it.skipIf(!fixture.url)('a confirmed publish to a probe-owned destination passes, with its latency', async () => {
    const result = await runCheck(fixture.probe(), 'queue.ops.publish');
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(new RegExp(`^published 1 message to ${fixture.noun} probe[._]\\w+[._]ops.*, confirmed in [\\d.]+ ms$`));
    expect(result.metrics[0]).toMatchObject({ name: 'queue.publish_latency_ms', unit: 'ms' });
  });

  it.skipIf(!fixture.url)('a latency above the threshold warns', async () => {
    expect((await runCheck(fixture.probe({ thresholds: { publishLatencyMs: 0 } }), 'queue.ops.publish')).status).toBe('warn');
  });
});

// Each broker's own way of refusing a write, set on the probe's destination as production might be configured.
describe('queue.ops.publish fails when the broker refuses the write', () => {
  it.skipIf(!broker('kafka').url)('Kafka: a topic whose max.message.bytes is below the message size → MESSAGE_TOO_LARGE', async () => {
    const result = await runCheck(broker('kafka').probe({ probeTopic: { configs: { 'max.message.bytes': '100' } } }), 'queue.ops.publish');
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^the broker refused a confirmed publish to topic probe\.\w+\.ops: MESSAGE_TOO_LARGE: /);
    expect(result.evidence.reproduce).toMatch(/^kcat -b \S+ -P -t probe\.\w+\.ops/);
  });

  it.skipIf(!broker('rabbitmq').url)('RabbitMQ: a full queue with x-overflow=reject-publish → the publisher confirm is a nack', async () => {
    const result = await runCheck(broker('rabbitmq').probe({ probeQueue: { arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' } } }), 'queue.ops.publish');
    expect(result).toMatchObject({ status: 'fail', evidence: { refusal: 'NACK' } });
  });

  it.skipIf(!broker('nats').url)('NATS: a stream over max_bytes with discard new → the PubAck is an error', async () => {
    const result = await runCheck(broker('nats').probe({ probeStream: { maxBytes: 100, discard: 'new' } }), 'queue.ops.publish');
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/: JetStream error 10077: maximum bytes exceeded$/);
  });
});
