import { describe, expect, it } from 'vitest';
import type { TopicState } from '../metadata.ts';
import { kafkaOptionsSchema } from '../options.ts';
import { durabilityFindings } from './durability.ts';
import { splitKeys } from './key-affinity.ts';
import { readDeadLetter } from './retry-dlq.ts';
import { topicMismatches } from './routing.ts';
import { scalingFindings, type ScalingReport } from './scaling.ts';
import type { KafkaDelivery } from '../subscription.ts';

// The pure rules behind the Kafka checks, on the cluster states a single test broker cannot take.
const topic = (replicas: number, configs: Record<string, string> = {}): TopicState => ({
  name: 'orders', configs, partitions: [{ partitionId: 0, leader: 1, replicas: Array.from({ length: replicas }, (_, index) => index + 1), isr: [1], partitionErrorCode: 0 }],
});

describe('durabilityFindings (persistence)', () => {
  it('production minimums on a 3-broker cluster: RF ≥ 3, min ISR ≥ 2, min ISR below RF', () => {
    expect(durabilityFindings(topic(2), 3).map((finding) => finding.text)).toEqual(['orders: replication factor 2 < 3 on a 3-broker cluster']);
    expect(durabilityFindings(topic(3, { 'min.insync.replicas': '1' }), 3).map((finding) => finding.text)).toEqual(['orders: min.insync.replicas 1 < 2: an acks=all write may live on one broker only']);
    expect(durabilityFindings(topic(3, { 'min.insync.replicas': '3' }), 3).map((finding) => finding.text)).toEqual(['orders: min.insync.replicas equals the replication factor (3): losing one broker blocks acks=all writes']);
    expect(durabilityFindings(topic(3, { 'min.insync.replicas': '2', 'retention.ms': '604800000' }), 3)).toEqual([]);
  });
  it('a single-broker cluster is exempt from the replica minimums; compacted topics from the retention rule', () => {
    expect(durabilityFindings(topic(1), 1)).toEqual([]);
    expect(durabilityFindings(topic(1, { 'retention.ms': '1000', 'cleanup.policy': 'compact' }), 1)).toEqual([]);
  });
});

describe('topicMismatches (routing)', () => {
  const declared = (extra: object) => kafkaOptionsSchema.parse({ brokers: 'k:9092', topics: [{ name: 'orders', ...extra }] }).topics[0]!;
  it('compares partitions, RF and configs; cleanup.policy order does not matter', () => {
    const state = { ...topic(3, { 'cleanup.policy': 'delete,compact', 'retention.ms': '1000' }), partitions: [0, 1].map((partitionId) => ({ ...topic(3).partitions[0]!, partitionId })) };
    expect(topicMismatches(declared({ partitions: 2, replicationFactor: 3, cleanupPolicy: 'compact,delete', configs: { 'retention.ms': 1000 } }), state)).toEqual([]);
    expect(topicMismatches(declared({ partitions: 4, configs: { 'max.message.bytes': '1048588' } }), state)).toEqual(['partitions 2, expected 4', 'max.message.bytes=(unset), expected 1048588']);
  });
});

describe('scalingFindings', () => {
  const report = (changes: Partial<ScalingReport>): ScalingReport => ({ group: 'billing', state: 'Stable', members: [], partitions: 2, idle: [], unowned: [], lag: 0, ...changes });
  it('a Dead group fails; a rebalance that does not settle fails; a Stable group with owners passes', () => {
    expect(scalingFindings(report({ state: 'Dead' }), undefined)).toEqual([{ severity: 'fail', text: 'group billing does not exist (state Dead, no members)' }]);
    expect(scalingFindings(report({ state: 'CompletingRebalance' }), 2_100)[0]!.text).toBe('group billing still CompletingRebalance after 2100 ms (rebalance storm or a member that cannot rejoin)');
    expect(scalingFindings(report({}), undefined)).toEqual([]);
  });
});

describe('splitKeys (ordering)', () => {
  it('keys seen on more than one partition; keyless messages ignored', () => {
    expect(splitKeys([{ key: 'a', partition: 0 }, { key: 'a', partition: 0 }, { key: 'b', partition: 1 }, { key: 'b', partition: 2 }, { partition: 1 }])).toEqual(new Map([['b', [1, 2]]]));
  });
});

describe('readDeadLetter (retry-dlq)', () => {
  const letter = (headers: Record<string, string>) => ({ headers } as unknown as KafkaDelivery);
  it('reads attempts from common headers or the configured one; lists error headers', () => {
    expect(readDeadLetter(letter({ 'retry_topic-attempts': '4', '__connect.errors.exception.message': 'x', 'kafka_dlt-original-topic': 'orders' }))).toEqual({ attempts: 4, errorHeaders: ['__connect.errors.exception.message'] });
    expect(readDeadLetter(letter({ tries: '2' }), 'tries')).toEqual({ attempts: 2, errorHeaders: [] });
    expect(readDeadLetter(letter({ attempts: 'many' }))).toEqual({ attempts: undefined, errorHeaders: [] });
  });
});
