import { serviceUrl } from '@probe/services';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { createTestTopic, type TestTopic, type TestTopicOptions } from '../../src/testing/index.ts';

/** Brokers from the services global setup; undefined when Kafka is missing (outside CI the tests skip). */
export const brokers = serviceUrl('kafka');

/** A fresh test topic (`qt.<random>`) on the shared broker. */
export function testTopic(options: TestTopicOptions = {}): Promise<TestTopic> {
  return createTestTopic(brokers!, { prefix: 'qt', ...options });
}

/** A small in-process "application": a kafkajs consumer in its own group, with a message handler. */
export interface App {
  consumer: Consumer;
  /** Resolves once the group is joined. */
  joined: Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startApp}. */
export interface AppOptions {
  groupId: string;
  topics: string[];
  handle(payload: EachMessagePayload): Promise<void>;
  /** Commit after every message (default true); otherwise kafkajs's defaults. */
  commitEach?: boolean;
  /** Start at the beginning (default true). */
  fromBeginning?: boolean;
}

/** Start an application consumer with fast group settings (the broker has group.initial.rebalance.delay.ms=0). */
export async function startApp(kafka: Kafka, options: AppOptions): Promise<App> {
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 50, sessionTimeout: 6_000, heartbeatInterval: 100, rebalanceTimeout: 3_000, retry: { retries: 2 } });
  let resolveJoined: () => void = () => {};
  const joined = new Promise<void>((resolve) => { resolveJoined = resolve; });
  consumer.on(consumer.events.GROUP_JOIN, () => resolveJoined());
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
  // kafkajs's run() resolves only after the group join, which a rebalance can hold for seconds: not awaited.
  consumer.run({ autoCommitThreshold: options.commitEach === false ? null : 1, eachMessage: options.handle }).catch(() => {});
  // A member stopped mid-join stays in the group until the rebalance times out (the group cannot be
  // deleted then): stop waits for the join first, bounded.
  const settled = Promise.race([joined, new Promise<void>((resolve) => setTimeout(resolve, 4_000).unref())]);
  return { consumer, joined, stop: async () => { await settled; await consumer.disconnect(); } };
}
