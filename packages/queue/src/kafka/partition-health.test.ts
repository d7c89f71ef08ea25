import type { PartitionMetadata } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, testTopic } from '../../test/support/kafka.ts';
import type { TestTopic } from '../testing/index.ts';
import { describeFinding, partitionFindings } from './partition-health.ts';

// The broker here is single-node, so it only ever shows healthy metadata: the
// rules run on the real shape fetched from it, and on copies of that shape
// edited into the states a multi-broker cluster gets into.
describe.skipIf(!brokers)('partitionFindings on real and edited metadata', () => {
  let topic: TestTopic;
  let real: PartitionMetadata[];
  beforeAll(async () => {
    topic = await testTopic({ partitions: 3 });
    const admin = topic.kafka.admin();
    await admin.connect();
    real = (await admin.fetchTopicMetadata({ topics: [topic.name] })).topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId);
    await admin.disconnect();
  });
  afterAll(() => topic?.delete());
  const edited = (changes: Partial<PartitionMetadata>): PartitionMetadata[] => [{ ...real[0]!, ...changes }];

  it('the real single-broker metadata has no findings', () => {
    expect(real).toHaveLength(3);
    expect(real[0]).toMatchObject({ partitionErrorCode: 0, leader: 1, replicas: [1], isr: [1] });
    expect(partitionFindings(topic.name, real, new Set([1]), 1)).toEqual([]);
  });

  it('no leader: offline and under min ISR', () => {
    expect(partitionFindings('t', edited({ leader: -1, isr: [] }), new Set([1]), 1).map((finding) => finding.problem)).toEqual(['offline', 'under-min-isr', 'under-replicated']);
  });

  it('a leader that is not a live broker is offline', () => {
    expect(partitionFindings('t', edited({ leader: 2, replicas: [2], isr: [2] }), new Set([1]), 1).map((finding) => finding.problem)).toEqual(['offline']);
  });

  it('a partition error in the metadata (LEADER_NOT_AVAILABLE) is offline', () => {
    expect(partitionFindings('t', edited({ partitionErrorCode: 5 }), new Set([1]), 1).map((finding) => finding.problem)).toEqual(['offline']);
  });

  it('ISR shrunk below min.insync.replicas: under min ISR and under-replicated', () => {
    const findings = partitionFindings('orders', edited({ replicas: [1, 2, 3], isr: [1] }), new Set([1, 2, 3]), 2);
    expect(findings.map((finding) => finding.problem)).toEqual(['under-min-isr', 'under-replicated']);
    expect(describeFinding(findings[0]!)).toBe('orders-0 (leader 1, replicas [1,2,3], isr [1], min.insync.replicas 2)');
  });

  it('ISR at min with more replicas: under-replicated and at min ISR', () => {
    expect(partitionFindings('t', edited({ replicas: [1, 2, 3], isr: [1, 2] }), new Set([1, 2, 3]), 2).map((finding) => finding.problem)).toEqual(['under-replicated', 'at-min-isr']);
  });

  it('a topic whose replication factor is its min ISR is not reported as at min ISR', () => {
    expect(partitionFindings('t', edited({ replicas: [1, 2], isr: [1, 2] }), new Set([1, 2]), 2)).toEqual([]);
  });

  it('min.insync.replicas above the replication factor is capped at the replica count, as brokers ≥ 3.7 do', () => {
    expect(partitionFindings('t', real, new Set([1]), 2)).toEqual([]);
  });

  it('a leader other than the first replica is not preferred', () => {
    expect(partitionFindings('t', edited({ leader: 2, replicas: [1, 2], isr: [1, 2] }), new Set([1, 2]), 1).map((finding) => finding.problem)).toEqual(['leader-not-preferred']);
  });
});
