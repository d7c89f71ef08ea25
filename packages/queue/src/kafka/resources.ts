import type { Admin, Kafka, Producer } from 'kafkajs';
import { ProbeError, ProbeErrorCode, messageOf, type ProbeContext } from '@probe/core';
import type { OpsResources } from '../shared/ops/index.ts';
import { dottedName, dottedPrefix } from '../shared/names.ts';
import { createTracker } from '../shared/tracker.ts';
import { createKafka, tlsOptions, translate } from './client.ts';
import { createKafkaDriver } from './driver.ts';
import type { KafkaOptions } from './options.ts';
import { assertKafka } from './preflight.ts';
import { subscribeKafka, type KafkaSubscription, type StartAt } from './subscription.ts';

/** What the Kafka probe's setup opens and every check gets. */
export interface KafkaResources extends OpsResources {
  options: KafkaOptions;
  runId: string;
  kafka: Kafka;
  admin: Admin;
  /** The probe's producer (acks=all, one request in flight), connected on first use. */
  producer(): Promise<Producer>;
  /** Create the probe-owned topic `probe.<runId>.<purpose>` once, with `probeTopic` settings. */
  topic(purpose: string, signal: AbortSignal, partitions?: number): Promise<string>;
  /**
   * Dead letters this run caused on users' DLQ topics (the retry-dlq check's
   * poison messages): dlq-health leaves them out of size and growth.
   */
  deadLetters: { topic: string; partition: number; offset: number }[];
  /** A consumer in the probe-owned group `probe.<runId>.<purpose>`. */
  subscribe(purpose: string, topics: string[], start: StartAt, signal: AbortSignal): Promise<KafkaSubscription>;
}

/** Bounds of teardown's steps, in ms. */
const SETTLE_MS = 3_000;

/**
 * Preflight (a bare ApiVersions handshake, so a wrong port fails in
 * milliseconds with what answered instead), then an admin connection (SASL
 * and TLS problems surface here).
 */
export async function openKafka(options: KafkaOptions, context: ProbeContext): Promise<KafkaResources> {
  await assertKafka(options.brokers, { timeoutMs: options.connectionTimeoutMs, tls: tlsOptions(options) });
  const kafka = createKafka(options, context.log);
  const admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } });
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    await admin.disconnect().catch(() => {});
    throw translate(error);
  }
  const tracker = createTracker();
  const topics = new Map<string, Promise<string>>();
  let producer: Promise<Producer> | undefined;
  const base: Omit<KafkaResources, 'driver'> = {
    options, runId: context.runId, kafka, admin, tracker, deadLetters: [],
    producer() {
      producer ??= (async () => {
        const created = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } });
        tracker.onTeardown(() => created.disconnect());
        await created.connect().catch((error: unknown) => { throw translate(error); });
        return created;
      })();
      return producer;
    },
    topic(purpose, signal, partitions = options.probeTopic.partitions) {
      const name = dottedName(context.runId, purpose);
      let created = topics.get(name);
      if (!created) {
        signal.throwIfAborted();
        created = admin.createTopics({
          waitForLeaders: true,
          timeout: options.requestTimeoutMs,
          topics: [{
            topic: name, numPartitions: partitions, replicationFactor: options.probeTopic.replicationFactor,
            configEntries: Object.entries(options.probeTopic.configs).map(([configName, value]) => ({ name: configName, value })),
          }],
        }).then(() => name, (error: unknown) => {
          topics.delete(name);
          throw translate(error, `creating the probe topic ${name}`);
        });
        topics.set(name, created);
      }
      return created;
    },
    subscribe(purpose, subscribed, start, signal) {
      return subscribeKafka(kafka, admin, tracker, { groupId: dottedName(context.runId, purpose), topics: subscribed, start, signal });
    },
  };
  return { ...base, driver: createKafkaDriver(base) };
}

/**
 * Wait (bounded) for work checks left running, disconnect every consumer and
 * the producer, then delete every topic and group named `probe.<runId>.*`
 * found on the cluster, not only those recorded: an aborted check may have
 * created one after it was cut off.
 */
export async function closeKafka(resources: KafkaResources | undefined): Promise<void> {
  if (!resources) return;
  const { admin, tracker, runId } = resources;
  const problems: string[] = [];
  try {
    await tracker.settle(SETTLE_MS);
    for (const error of await tracker.closeAll()) problems.push(messageOf(error));
    const prefix = dottedPrefix(runId);
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
    problems.push(...(await deleteGroups(admin, groups)));
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: resources.options.requestTimeoutMs }).catch((error: unknown) => problems.push(`deleting topics ${topics.join(', ')}: ${messageOf(error)}`));
  } catch (error) {
    problems.push(messageOf(error));
  } finally {
    await admin.disconnect().catch(() => {});
  }
  if (problems.length > 0) throw new ProbeError(ProbeErrorCode.SETUP, `Kafka cleanup incomplete: ${problems.join('; ')}`);
}

/**
 * Delete groups; a group already gone is not a problem. Returns the problems
 * in words (kafkajs reports every group's error in one KafkaJSDeleteGroupsError).
 */
export async function deleteGroups(admin: Admin, groupIds: string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  try {
    await admin.deleteGroups(groupIds);
    return [];
  } catch (error) {
    const groups = (error as { groups?: { groupId: string; error?: { type?: string; message?: string } }[] }).groups;
    if (!groups) return [`deleting groups ${groupIds.join(', ')}: ${messageOf(error)}`];
    return groups
      .filter((group) => group.error?.type !== 'GROUP_ID_NOT_FOUND')
      .map((group) => `deleting group ${group.groupId}: ${group.error?.type ?? ''} ${group.error?.message ?? ''}`.trim());
  }
}
