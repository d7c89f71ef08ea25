import type { Admin, PartitionMetadata } from 'kafkajs';
import { abortable } from '../shared/time.ts';
import { ConfigResourceTypes } from './kafkajs.ts';

/** One topic as the cluster describes it: partitions (leader, replicas, ISR) and configs. */
export interface TopicState {
  name: string;
  partitions: PartitionMetadata[];
  /** Config values by name (only those asked for, or all when none were named). */
  configs: Record<string, string>;
}

/** Topics whose metadata and configs are read per request (bounded request sizes). */
const BATCH = 200;

/**
 * Metadata and configs of the named topics that exist; the others come back
 * in `missing` (kafkajs's fetchTopicMetadata throws on the first unknown one).
 */
export async function describeTopics(admin: Admin, names: readonly string[], signal: AbortSignal, configNames?: string[]): Promise<{ topics: Map<string, TopicState>; missing: string[] }> {
  const existing = new Set(await abortable(admin.listTopics(), signal));
  const found = [...new Set(names)].filter((name) => existing.has(name));
  const topics = new Map<string, TopicState>();
  for (let start = 0; start < found.length; start += BATCH) {
    const batch = found.slice(start, start + BATCH);
    const [metadata, configs] = await abortable(Promise.all([
      admin.fetchTopicMetadata({ topics: batch }),
      admin.describeConfigs({
        includeSynonyms: false,
        resources: batch.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, ...(configNames ? { configNames } : {}) })),
      }),
    ]), signal);
    for (const topic of metadata.topics) topics.set(topic.name, { name: topic.name, partitions: topic.partitions, configs: {} });
    for (const resource of configs.resources) {
      const state = topics.get(resource.resourceName);
      if (state) for (const entry of resource.configEntries) state.configs[entry.configName] = entry.configValue;
    }
  }
  return { topics, missing: names.filter((name) => !existing.has(name)) };
}

/** Every topic's name except Kafka's internal ones (`__consumer_offsets`, `__transaction_state`, …). */
export async function userTopics(admin: Admin, signal: AbortSignal): Promise<string[]> {
  return (await abortable(admin.listTopics(), signal)).filter((name) => !name.startsWith('__')).sort();
}

/** High and low watermarks of a topic's partitions, as numbers. */
export async function watermarks(admin: Admin, topic: string, signal: AbortSignal): Promise<{ partition: number; low: number; high: number }[]> {
  const offsets = await abortable(admin.fetchTopicOffsets(topic), signal);
  return offsets.map(({ partition, low, high }) => ({ partition, low: Number(low), high: Number(high) })).sort((a, b) => a.partition - b.partition);
}
