import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '../env.ts';
import { withTimeout } from '../wait.ts';

function client(brokers: string, timeoutMs: number, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: kafkaBrokers(brokers),
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
}

/** Cheap readiness: the cluster metadata names a controller. */
export async function checkKafka(brokers: string, timeoutMs: number): Promise<void> {
  const admin = client(brokers, timeoutMs, 'probe-services-check').admin();
  try {
    await withTimeout(admin.connect(), timeoutMs, 'kafka admin connect');
    const cluster = await withTimeout(admin.describeCluster(), timeoutMs, 'kafka describeCluster');
    if (cluster.controller === null || cluster.controller < 0) throw new Error('the cluster has no active controller yet');
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * Full readiness after a start: metadata names a controller, and a consumer
 * joins a group (so the group coordinator and `__consumer_offsets` work).
 * Its throwaway topic and group are deleted afterwards.
 */
export async function checkKafkaGroupJoin(brokers: string, timeoutMs: number): Promise<void> {
  await checkKafka(brokers, timeoutMs);
  const kafka = client(brokers, timeoutMs, 'probe-services-ready');
  const name = `probe-services-ready-${process.pid}-${Date.now()}`;
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: name, maxWaitTimeInMs: 100, sessionTimeout: 6_000, rebalanceTimeout: timeoutMs, retry: { retries: 0 } });
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 1 }], waitForLeaders: true, timeout: timeoutMs });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    const crashed = new Promise<never>((_, reject) =>
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error)),
    );
    await consumer.connect();
    await consumer.subscribe({ topic: name, fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
    await withTimeout(Promise.race([joined, crashed]), timeoutMs, 'kafka consumer group join');
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([name]).catch(() => {});
    await admin.deleteTopics({ topics: [name] }).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
