import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaBrokers, serviceUrl } from './env.ts';

const brokers = serviceUrl('kafka');

describe.skipIf(!brokers)('Kafka smoke', () => {
  it('creates a topic, produces, consumes in a group, commits, and deletes topic and group', async () => {
    const kafka = new Kafka({
      clientId: 'probe-services-test',
      brokers: kafkaBrokers(brokers!),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2_000,
      retry: { retries: 2, initialRetryTime: 100 },
    });
    const name = `probe-services-test-${process.pid}-${Date.now()}`;
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: name, maxWaitTimeInMs: 100, retry: { retries: 2, initialRetryTime: 100 } });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: name, numPartitions: 1 }], waitForLeaders: true });
      await producer.connect();
      await producer.send({ topic: name, messages: [{ key: 'k', value: 'hello' }] });

      await consumer.connect();
      await consumer.subscribe({ topic: name, fromBeginning: true });
      const received = new Promise<string>((resolve) => {
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
            resolve(message.value?.toString() ?? '');
          },
        });
      });
      expect(await received).toBe('hello');
      await consumer.disconnect();
      expect(await admin.fetchOffsets({ groupId: name, topics: [name] })).toEqual([
        { topic: name, partitions: [{ partition: 0, offset: '1', metadata: null }] },
      ]);
    } finally {
      await consumer.disconnect().catch(() => {});
      await producer.disconnect().catch(() => {});
      await admin.deleteGroups([name]).catch(() => {});
      await admin.deleteTopics({ topics: [name] }).catch(() => {});
      await admin.disconnect();
    }
    const admin2 = kafka.admin();
    await admin2.connect();
    expect(await admin2.listTopics()).not.toContain(name);
    await admin2.disconnect();
  });
});
