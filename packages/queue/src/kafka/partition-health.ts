import type { PartitionMetadata } from 'kafkajs';

/**
 * A partition's trouble, by the rules of Kafka's own `kafka-topics.sh
 * --describe` (TopicCommand.PartitionDescription):
 * - `offline`: no leader (`leader < 0`), a leader that is not a live broker
 *   (`hasUnavailablePartitions`), or a partition error from the metadata;
 * - `under-min-isr`: no leader, or fewer in-sync replicas than the effective
 *   min ISR (`isUnderMinIsr`): acks=all producers get NOT_ENOUGH_REPLICAS. Since
 *   Kafka 3.7 (KAFKA-15583, apache/kafka#14594) the broker caps
 *   `min.insync.replicas` at the replica count, and so does this rule;
 * - `under-replicated`: fewer in-sync replicas than replicas (`isUnderReplicated`);
 * - `at-min-isr`: in-sync replicas equal the effective min ISR while the
 *   topic has more replicas (`isAtMinIsrPartitions`, narrowed: a topic whose
 *   replication factor *is* its min ISR is always "at min" and is judged by
 *   `queue.ops.persistence`'s durability rules instead);
 * - `leader-not-preferred`: the leader is not the first replica (kafka_exporter's
 *   `leader_is_preferred`): leadership is unbalanced.
 */
export type PartitionProblem = 'offline' | 'under-min-isr' | 'under-replicated' | 'at-min-isr' | 'leader-not-preferred';

/** One problem on one partition, with the metadata that shows it. */
export interface PartitionFinding {
  topic: string;
  partition: number;
  problem: PartitionProblem;
  leader: number;
  replicas: number[];
  isr: number[];
  minIsr: number;
  errorCode: number;
}

/** Problems that fail the health check; the others warn. */
export const FAILING: ReadonlySet<PartitionProblem> = new Set(['offline', 'under-min-isr']);

/** Evaluate one topic's partitions against the live brokers and its `min.insync.replicas`. */
export function partitionFindings(topic: string, partitions: readonly PartitionMetadata[], liveBrokers: ReadonlySet<number>, minIsr: number): PartitionFinding[] {
  const findings: PartitionFinding[] = [];
  for (const partition of [...partitions].sort((a, b) => a.partitionId - b.partitionId)) {
    const { leader, replicas, isr, partitionErrorCode: errorCode, partitionId } = partition;
    const hasLeader = leader !== undefined && leader !== null && leader >= 0;
    const effectiveMinIsr = Math.min(minIsr, replicas.length);
    const add = (problem: PartitionProblem) =>
      findings.push({ topic, partition: partitionId, problem, leader, replicas: [...replicas], isr: [...isr], minIsr, errorCode });
    if (!hasLeader || !liveBrokers.has(leader) || errorCode !== 0) add('offline');
    if (!hasLeader || isr.length < effectiveMinIsr) add('under-min-isr');
    if (replicas.length > isr.length) add('under-replicated');
    if (hasLeader && isr.length === effectiveMinIsr && replicas.length > effectiveMinIsr) add('at-min-isr');
    if (hasLeader && replicas.length > 1 && replicas[0] !== leader) add('leader-not-preferred');
  }
  return findings;
}

/** `orders-3 (leader 2, replicas [1,2,3], isr [2])`. */
export function describeFinding(finding: PartitionFinding): string {
  return `${finding.topic}-${finding.partition} (leader ${finding.leader}, replicas [${finding.replicas.join(',')}], isr [${finding.isr.join(',')}]${finding.problem.includes('isr') ? `, min.insync.replicas ${finding.minIsr}` : ''}${finding.errorCode ? `, error ${finding.errorCode}` : ''})`;
}
