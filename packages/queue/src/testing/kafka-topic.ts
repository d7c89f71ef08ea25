import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders, type Producer } from 'kafkajs';
import { deleteGroups } from '../kafka/resources.ts';

/** Options of {@link createTestTopic}. */
export interface TestTopicOptions {
  /** Partitions (default 1). */
  partitions?: number;
  /** Topic configs (`{ 'cleanup.policy': 'compact' }`). */
  configs?: Record<string, string>;
  /** Name prefix (default `test`): the topic is `<prefix>.<random>`. */
  prefix?: string;
}

/** A message for {@link TestTopic.send}. */
export interface TestMessage {
  key?: string;
  value: string | Buffer;
  headers?: IHeaders;
  partition?: number;
  /** Epoch ms as a string (CreateTime); default now. */
  timestamp?: string;
}

/** A topic that belongs to one test. */
export interface TestTopic {
  /** `test.<random>`: unique per test, so tests can run side by side. */
  name: string;
  brokers: string[];
  /** A kafkajs client for the test's own producers and consumers (bounded retries, quiet logs). */
  kafka: Kafka;
  /** Produce with acks=all; resolves to the base offset per partition written. */
  send(messages: TestMessage[]): Promise<{ partition: number; baseOffset: string }[]>;
  /** The high watermark of each partition (for before/after assertions). */
  endOffsets(): Promise<Record<number, string>>;
  /**
   * Delete the topic, its related topics, and every consumer group the test
   * registered with {@link TestTopic.ownGroup}. Idempotent. Throws when a group cannot be deleted
   * (a consumer of the test is still connected: disconnect it first).
   */
  delete(): Promise<void>;
  /** Register a group id for deletion with the topic; returns a fresh `<name>.<suffix>` id. */
  ownGroup(suffix: string): string;
  /** Create `<name><suffix>` (a dead-letter `.DLT`, a `-retry` topic), deleted with this one; returns its name. */
  related(suffix: string, options?: { partitions?: number }): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A topic per test (the checklist's "test data isolated", "data cleanup after
 * tests"): created with the given partitions and configs, deleted with its
 * groups afterwards. Use it in `beforeEach`/`afterEach`, or with
 * `await using topic = await createTestTopic(brokers)`.
 */
export async function createTestTopic(brokers: string | string[], options: TestTopicOptions = {}): Promise<TestTopic> {
  const list = Array.isArray(brokers) ? brokers : brokers.split(',');
  const kafka = new Kafka({
    clientId: 'probe-test', brokers: list, logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000, requestTimeout: 5_000, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const name = `${options.prefix ?? 'test'}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const admin: Admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: name, numPartitions: options.partitions ?? 1, configEntries: Object.entries(options.configs ?? {}).map(([configName, value]) => ({ name: configName, value })) }],
  });
  const groups = new Set<string>();
  const companions = new Set<string>();
  let producer: Producer | undefined;
  let deleted: Promise<void> | undefined;
  const topic: TestTopic = {
    name, brokers: list, kafka,
    async send(messages) {
      if (!producer) {
        producer = kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
      }
      const results = await producer.send({ topic: name, acks: -1, messages });
      return results.map((result) => ({ partition: result.partition, baseOffset: result.baseOffset ?? '-1' }));
    },
    async endOffsets() {
      return Object.fromEntries((await admin.fetchTopicOffsets(name)).map(({ partition, high }) => [partition, high]));
    },
    async related(suffix, related = {}) {
      const companion = `${name}${suffix}`;
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: companion, numPartitions: related.partitions ?? options.partitions ?? 1 }] });
      companions.add(companion);
      return companion;
    },
    ownGroup(suffix) {
      const id = `${name}.${suffix}`;
      groups.add(id);
      return id;
    },
    delete() {
      deleted ??= (async () => {
        try {
          await producer?.disconnect().catch(() => {});
          const problems = await deleteGroups(admin, [...groups]);
          await admin.deleteTopics({ topics: [name, ...companions] });
          if (problems.length > 0) throw new Error(`test topic ${name}: ${problems.join('; ')} (disconnect the test's consumers before deleting)`);
        } finally {
          await admin.disconnect();
        }
      })();
      return deleted;
    },
    [Symbol.asyncDispose]: () => topic.delete(),
  };
  return topic;
}
