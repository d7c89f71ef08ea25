import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConformance } from '@probe/testkit';
import { brokers, startApp } from '../../test/support/kafka.ts';
import { createTestTopic, type TestTopic } from '../testing/index.ts';
import { kafka } from './kafka-probe.ts';

/** Topics and groups other test files create and delete while this one runs. */
const TRANSIENT = /^(qt|probe)[._]|^__/;

/**
 * Everything on the cluster that is not transient: the end offsets of every
 * topic, the committed offsets of every group. Equal before and after a run
 * = the probe wrote nothing outside its own topics and committed nothing for
 * anyone else's group.
 */
async function fingerprint(admin: Admin): Promise<unknown> {
  const topics = (await admin.listTopics()).filter((name) => !TRANSIENT.test(name)).sort();
  const offsets: Record<string, string[]> = {};
  for (const topic of topics) offsets[topic] = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((entry) => `${entry.low}-${entry.high}`);
  const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => !TRANSIENT.test(id)).sort();
  const committed: Record<string, unknown> = {};
  for (const groupId of groups) committed[groupId] = (await admin.fetchOffsets({ groupId })).map((entry) => [entry.topic, entry.partitions.map((partition) => `${partition.partition}:${partition.offset}`).sort()]);
  return { offsets, committed };
}

describe.skipIf(!brokers)('kafka conformance', () => {
  let orders: TestTopic;
  let group: string;
  let admin: Admin;
  beforeAll(async () => {
    // A small "production" fixture the probe reads: a keyed topic with a group that committed part of it, and a DLQ topic.
    orders = await createTestTopic(brokers!, { prefix: 'conf', partitions: 3 });
    await orders.send(Array.from({ length: 30 }, (_, index) => ({ key: `k${index % 5}`, value: `order ${index}` })));
    await orders.related('.DLT');
    group = orders.ownGroup('billing');
    let seen = 0;
    const app = await startApp(orders.kafka, { groupId: group, topics: [orders.name], handle: async () => { seen++; } });
    while (seen < 30) await new Promise((resolve) => setTimeout(resolve, 20));
    await app.stop();
    admin = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await orders?.delete();
  });

  it('the fingerprint sees a write to a topic and a commit for a group (so equal fingerprints mean something)', async () => {
    const before = JSON.stringify(await fingerprint(admin));
    await orders.send([{ key: 'k0', value: 'one more' }]);
    const afterWrite = JSON.stringify(await fingerprint(admin));
    expect(afterWrite).not.toBe(before);
    let consumed = false;
    const app = await startApp(orders.kafka, { groupId: group, topics: [orders.name], handle: async () => { consumed = true; } });
    while (!consumed) await new Promise((resolve) => setTimeout(resolve, 20));
    await app.stop();
    expect(JSON.stringify(await fingerprint(admin))).not.toBe(afterWrite);
  });

  describeConformance({
    name: 'kafka()',
    domain: 'queue',
    probe: () => kafka({
      brokers: brokers!,
      topics: [{ name: orders.name, partitions: 3, keyed: true }],
      groups: [group],
      dlqTopics: [`${orders.name}.DLT`],
      discoverDlqTopics: false,
      sampling: { samples: 2, intervalMs: 100 },
      ops: { throughputMessages: 300, messageBytes: 128, persistenceMessages: 10, orderingMessages: 10 },
    }),
    fingerprint: () => fingerprint(admin),
    leftovers: async (runId) => [
      ...(await admin.listTopics()).filter((name) => name.includes(runId)),
      ...(await admin.listGroups()).groups.map((entry) => entry.groupId).filter((id) => id.includes(runId)),
    ],
  });
});
