import { describe, expect, it } from 'vitest';
import { BROKERS, broker } from '../../../test/support/brokers.ts';
import { testTopic } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import { restartReport } from './persistence.ts';

describe.each(BROKERS)('queue.ops.persistence on $name', (fixture) => {
  it.skipIf(!fixture.url)('a restarted consumer resumes after its acknowledged messages: none lost, none twice', async () => {
    const result = await runCheck(fixture.probe(), 'queue.ops.persistence');
    expect(result).toMatchObject({
      status: 'pass',
      summary: 'a restarted consumer resumed after the 5 acknowledged messages and received the other 5: none lost, none delivered twice',
      evidence: { sent: 10, ackedBeforeRestart: 5, receivedAfterRestart: 5, lost: [], redeliveredAfterAck: [] },
    });
  });
});

describe('restartReport: accounting across a restart', () => {
  it('nothing lost, nothing twice', () => {
    expect(restartReport(6, [0, 1, 2], [3, 4, 5])).toEqual({ lost: [], redeliveredAfterAck: [] });
  });
  it('a message neither acknowledged before nor received after is lost', () => {
    expect(restartReport(6, [0, 1, 2], [4, 5])).toEqual({ lost: [3], redeliveredAfterAck: [] });
  });
  it('an acknowledged message delivered again is beyond at-least-once', () => {
    expect(restartReport(4, [0, 1], [1, 2, 3])).toEqual({ lost: [], redeliveredAfterAck: [1] });
  });
});

// Declared destinations' durability, the driver-specific half of the check.
describe('queue.ops.persistence judges the declared destinations', () => {
  it.skipIf(!broker('kafka').url)('Kafka: unclean leader election and short retention warn; min ISR above RF warns', async () => {
    const topic = await testTopic({ configs: { 'unclean.leader.election.enable': 'true', 'retention.ms': '60000', 'min.insync.replicas': '2' } });
    try {
      const result = await runCheck(broker('kafka').probe({ topics: [{ name: topic.name }] }), 'queue.ops.persistence');
      expect(result.status).toBe('warn');
      expect(result.summary).toBe([
        `${topic.name}: min.insync.replicas 2 > replication factor 1: capped at 1 by brokers ≥ 3.7, refused acks=all writes before`,
        `${topic.name}: unclean.leader.election.enable=true: a failover may lose acknowledged messages`,
        `${topic.name}: retention.ms 60000: messages are deleted before a consumer down for an hour resumes`,
      ].join('; '));
    } finally {
      await topic.delete();
    }
  });

  it.skipIf(!broker('rabbitmq').url)('RabbitMQ: a transient (non-durable) declared queue fails', async () => {
    const { connect } = await import('amqplib');
    const connection = await connect(broker('rabbitmq').url!);
    const channel = await connection.createChannel();
    const queue = `qt.transient.${Date.now()}`;
    await channel.assertQueue(queue, { durable: false });
    try {
      const result = await runCheck(broker('rabbitmq').probe({ queues: [{ name: queue }] }), 'queue.ops.persistence');
      expect(result).toMatchObject({ status: 'fail', summary: `queue ${queue} is not durable: it and its messages are lost when the broker restarts` });
    } finally {
      await channel.deleteQueue(queue);
      await connection.close();
    }
  });

  it.skipIf(!broker('nats').url)('NATS: a declared stream kept in memory warns', async () => {
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager, StorageType } = await import('@nats-io/jetstream');
    const connection = await connect({ servers: broker('nats').url! });
    const jsm = await jetstreamManager(connection);
    const stream = `qt_memory_${Date.now()}`;
    await jsm.streams.add({ name: stream, subjects: [`qt.${stream}`], storage: StorageType.Memory });
    try {
      const result = await runCheck(broker('nats').probe({ streams: [{ name: stream }] }), 'queue.ops.persistence');
      expect(result).toMatchObject({ status: 'warn', summary: `stream ${stream} keeps messages in memory: they are lost when the server restarts` });
    } finally {
      await jsm.streams.delete(stream);
      await connection.close();
    }
  });
});
