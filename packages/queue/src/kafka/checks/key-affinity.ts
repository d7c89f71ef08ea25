import type { CheckContext } from '@probe/core';
import { listSome, plural, type Finding } from '../../shared/verdict.ts';
import { watermarks } from '../metadata.ts';
import type { KafkaOptions } from '../options.ts';
import { kcat } from '../reproduce.ts';
import type { KafkaResources } from '../resources.ts';

/** Messages sampled per keyed topic (the most recent, spread over its partitions). */
const SAMPLE = 500;
/** Bound on reading one topic's sample. */
const READ_MS = 2_000;

/** Keys seen on more than one partition: `key → partitions`. */
export function splitKeys(messages: readonly { key?: string | undefined; partition?: number | undefined }[]): Map<string, number[]> {
  const partitions = new Map<string, Set<number>>();
  for (const { key, partition } of messages) {
    if (key === undefined || partition === undefined) continue;
    partitions.set(key, (partitions.get(key) ?? new Set()).add(partition));
  }
  return new Map([...partitions].filter(([, set]) => set.size > 1).map(([key, set]) => [key, [...set].sort((a, b) => a - b)]));
}

/**
 * The ordering check's Kafka extension: in each declared `keyed` topic, the
 * most recent messages (read by a probe-owned group from explicit offsets;
 * the producers' groups are untouched) must keep each key on one partition.
 * A key on two partitions means a producer with another partitioner (kafkajs
 * 1.x vs Java murmur2), an explicit partition, or a partition-count change:
 * per-key order is lost across them.
 */
export function keyAffinity(options: KafkaOptions) {
  const keyed = options.topics.filter((topic) => topic.keyed).map((topic) => topic.name);
  return async (context: CheckContext<KafkaResources>) => {
    if (keyed.length === 0) return undefined;
    const findings: Finding[] = [];
    const sampled: Record<string, unknown> = {};
    for (const [index, topic] of keyed.entries()) {
      const marks = await watermarks(context.resources.admin, topic, context.signal);
      const perPartition = Math.ceil(SAMPLE / Math.max(1, marks.length));
      const start = marks.filter((mark) => mark.high > mark.low).map((mark) => ({ partition: mark.partition, offset: String(Math.max(mark.low, mark.high - perPartition)) }));
      const wanted = marks.reduce((sum, mark) => sum + Math.min(perPartition, mark.high - mark.low), 0);
      if (wanted === 0) {
        sampled[topic] = { messages: 0 };
        continue;
      }
      const reader = await context.resources.subscribe(`keys-${index}`, [topic], { [topic]: start }, context.signal);
      try {
        const messages = await reader.take({ count: wanted, timeoutMs: READ_MS, signal: context.signal });
        const split = splitKeys(messages);
        sampled[topic] = { messages: messages.length, keys: new Set(messages.map((message) => message.key)).size, split: Object.fromEntries([...split].slice(0, 20)) };
        if (split.size > 0) {
          findings.push({ severity: 'fail', text: `${topic}: ${plural(split.size, 'key')} on more than one partition (${listSome([...split].map(([key, partitions]) => `${key} on ${partitions.join(',')}`), 3)})` });
          sampled[topic] = { ...(sampled[topic] as object), reproduce: kcat(options, `-C -t ${topic} -o -${perPartition} -e -f '%p %k\\n' | sort -u`) };
        }
      } finally {
        await reader.close();
      }
    }
    return { findings, evidence: { keyedTopics: sampled }, passText: `each key stays on one partition in ${plural(keyed.length, 'keyed topic')}` };
  };
}
