import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Delivery, Subscription } from '../shared/driver.ts';
import type { Tracker } from '../shared/tracker.ts';
import { createInbox } from '../shared/inbox.ts';
import { ID_HEADER, headerText } from '../shared/messages.ts';
import { abortable, sleep } from '../shared/time.ts';
import { protocolType, translate } from './client.ts';

/** A Kafka delivery with the topic and broker timestamp. */
export interface KafkaDelivery extends Delivery {
  topic: string;
  partition: number;
  /** Broker timestamp (CreateTime or LogAppendTime), epoch ms. */
  timestamp: number;
}

/** Where a new probe-owned group starts reading. Explicit offsets win over a group's committed ones. */
export type StartAt = 'earliest' | 'latest' | Record<string, { partition: number; offset: string }[]>;

/** Consumer settings that keep a probe-owned group fast: joins in tens of ms, short fetch waits. */
const CONSUMER = {
  maxWaitTimeInMs: 100,
  sessionTimeout: 6_000, // the broker's group.min.session.timeout.ms default
  heartbeatInterval: 300,
  rebalanceTimeout: 3_000,
  allowAutoTopicCreation: false,
} as const;

/** A probe-owned Kafka consumer: a {@link Subscription} plus its kafkajs consumer. */
export interface KafkaSubscription extends Subscription {
  consumer: Consumer;
  /** Resolves at the first group join. */
  joined: Promise<void>;
  /** `topic-partition` keys assigned at the latest join. */
  assigned(): string[];
}

/**
 * A probe-owned consumer group reading `topics`: the probe's own, or a user's
 * topic read from a given position (the user's groups are never joined).
 * `ack` commits the delivery's offset + 1 in this probe group. The consumer
 * is registered with `tracker` at once, so teardown disconnects it even when
 * the check that opened it was cut off mid-join.
 */
export async function subscribeKafka(
  kafka: Kafka, admin: Admin, tracker: Tracker,
  options: { groupId: string; topics: string[]; start: StartAt; signal: AbortSignal },
): Promise<KafkaSubscription> {
  const { groupId, topics, start, signal } = options;
  // Explicit positions are applied with seek() right after run() (which resolves after the join).
  // (admin.setOffsets would do, but kafkajs implements it with a full consumer join: 5 s.)
  const seeks: { topic: string; partition: number; offset: string }[] = [];
  if (start !== 'earliest') {
    for (const topic of topics) {
      const partitions = start === 'latest'
        ? (await abortable(admin.fetchTopicOffsets(topic), signal)).map(({ partition, high }) => ({ partition, offset: high }))
        : start[topic] ?? [];
      seeks.push(...partitions.map((partition) => ({ topic, ...partition })));
    }
  }
  const consumer = kafka.consumer({ groupId, ...CONSUMER, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000, restartOnFailure: async () => false } });
  const inbox = createInbox<KafkaDelivery>((delivery, takeSignal) => commit(consumer, delivery, takeSignal));
  let joinedResolve: () => void = () => {};
  const joined = new Promise<void>((resolve) => { joinedResolve = resolve; });
  let assigned: string[] = [];
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => `${topic}-${partition}`));
    joinedResolve();
  });
  consumer.on(consumer.events.CRASH, (event) => inbox.fail(translate(event.payload.error)));
  let closed: Promise<void> | undefined;
  const forget = tracker.onTeardown(() => close());
  const close = () => (closed ??= consumer.disconnect().catch(() => {}).finally(forget));
  try {
    await abortable(consumer.connect(), signal);
    // Where explicit positions follow, start at the end: nothing from before the seek can slip in.
    await consumer.subscribe({ topics, fromBeginning: start === 'earliest' });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => inbox.push(toDelivery(topic, partition, message)),
    });
    for (const seek of seeks) consumer.seek(seek);
  } catch (error) {
    await close();
    throw translate(error);
  }
  return { consumer, joined, assigned: () => assigned, take: (takeOptions) => inbox.take(takeOptions), close };
}

/** Group errors a commit meets while the group rebalances; the member rejoins on its own within moments. */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR', 'COORDINATOR_LOAD_IN_PROGRESS']);
/** Bound on retrying one commit across a rebalance. */
const COMMIT_RETRY_MS = 3_000;

/** Commit `offset + 1` of a delivery, retrying across a rebalance (bounded). */
async function commit(consumer: Consumer, delivery: KafkaDelivery, signal: AbortSignal): Promise<void> {
  const offset = { topic: delivery.topic, partition: delivery.partition, offset: (BigInt(delivery.position) + 1n).toString() };
  const deadline = Date.now() + COMMIT_RETRY_MS;
  for (;;) {
    try {
      await consumer.commitOffsets([offset]);
      return;
    } catch (error) {
      const type = protocolType(error);
      if (!type || !REBALANCE_ERRORS.has(type) || Date.now() > deadline) throw translate(error);
      await sleep(100, signal);
    }
  }
}

/** A kafkajs message as a {@link KafkaDelivery}. */
export function toDelivery(topic: string, partition: number, message: KafkaMessage): KafkaDelivery {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  return {
    id: headers[ID_HEADER],
    ...(message.key ? { key: message.key.toString('utf8') } : {}),
    value: message.value ?? Buffer.alloc(0),
    headers,
    topic,
    partition,
    position: message.offset,
    timestamp: Number(message.timestamp),
    redelivered: false,
    receivedAt: Date.now(),
  };
}
