import { ConfigResourceTypes } from './kafkajs.ts';
import type { OutboundMessage, QueueDriver, Receipt } from '../shared/driver.ts';
import { abortable } from '../shared/time.ts';
import { translate } from './client.ts';
import { kcat } from './reproduce.ts';
import type { KafkaResources } from './resources.ts';

/** Topic configs `queue.ops.persistence` reports. */
export const DURABILITY_CONFIGS = ['min.insync.replicas', 'retention.ms', 'retention.bytes', 'cleanup.policy', 'unclean.leader.election.enable'];

/** The shared operations checks' view of Kafka: probe topics, probe groups, acks=all. */
export function createKafkaDriver(resources: Omit<KafkaResources, 'driver'>): QueueDriver {
  const { admin, options } = resources;
  return {
    noun: 'topic',
    destination: (purpose, signal) => resources.topic(purpose, signal),
    async publish(topic, messages, signal) {
      const producer = await resources.producer();
      const receipts: Receipt[] = [];
      // One send per key run: a key's messages go to one partition, so offsets follow from the base offset.
      for (const run of keyRuns(messages)) {
        try {
          const [result] = await abortable(producer.send({
            topic, acks: -1, timeout: options.requestTimeoutMs,
            messages: run.map((message) => ({ key: message.key ?? null, value: message.value, headers: message.headers })),
          }), signal);
          const base = BigInt(result?.baseOffset ?? '-1');
          run.forEach((message, index) => receipts.push({ id: message.id, partition: result?.partition ?? -1, position: (base + BigInt(index)).toString() }));
        } catch (error) {
          throw translate(error);
        }
      }
      return receipts;
    },
    subscribe: (topic, consumer, signal) => resources.subscribe(consumer, [topic], 'earliest', signal),
    async durability(topic, signal) {
      const [metadata, configs] = await abortable(Promise.all([
        admin.fetchTopicMetadata({ topics: [topic] }),
        admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: DURABILITY_CONFIGS }] }),
      ]), signal);
      const settings: Record<string, unknown> = { replicationFactor: metadata.topics[0]?.partitions[0]?.replicas.length };
      for (const entry of configs.resources[0]?.configEntries ?? []) settings[entry.configName] = entry.configValue;
      return settings;
    },
    reproduce: (topic) => ({
      publish: kcat(options, `-P -t ${topic} -k probe-key -H probe=1 <<< 'probe message'`),
      consume: kcat(options, `-C -t ${topic} -o beginning -e -f '%p %o %k %h %s\\n'`),
    }),
  };
}

/** Consecutive messages with the same key, as groups. */
function keyRuns(messages: readonly OutboundMessage[]): OutboundMessage[][] {
  const runs: OutboundMessage[][] = [];
  for (const message of messages) {
    const last = runs.at(-1);
    if (last && last[0]!.key === message.key) last.push(message);
    else runs.push([message]);
  }
  return runs;
}
