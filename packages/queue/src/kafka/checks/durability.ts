import type { CheckContext } from '@probe/core';
import type { Finding } from '../../shared/verdict.ts';
import { abortable } from '../../shared/time.ts';
import { DURABILITY_CONFIGS } from '../driver.ts';
import { describeTopics, type TopicState } from '../metadata.ts';
import type { KafkaOptions } from '../options.ts';
import type { KafkaResources } from '../resources.ts';

/** Retention shorter than this warns: a consumer down for longer loses messages [judgement]. */
const SHORT_RETENTION_MS = 3_600_000;

/**
 * The durability rules of one topic (after the research's K5 row; the
 * production minimums are waived on clusters with fewer than 3 brokers):
 * min ISR above the replication factor (brokers ≥ 3.7 cap it at the replica
 * count, so it promises redundancy the topic does not have; older brokers
 * refuse every acks=all write); equal to it, any broker loss blocks writes;
 * RF < 3 or min ISR < 2 on a ≥ 3-broker cluster; unclean leader election
 * (data loss on failover); retention under an hour.
 */
export function durabilityFindings(topic: TopicState, brokers: number): Finding[] {
  const findings: Finding[] = [];
  const replicationFactor = Math.min(...topic.partitions.map((partition) => partition.replicas.length));
  const minIsr = Number(topic.configs['min.insync.replicas'] ?? 1);
  const name = topic.name;
  if (minIsr > replicationFactor) findings.push({ severity: 'warn', text: `${name}: min.insync.replicas ${minIsr} > replication factor ${replicationFactor}: capped at ${replicationFactor} by brokers ≥ 3.7, refused acks=all writes before` });
  else if (minIsr === replicationFactor && replicationFactor > 1) findings.push({ severity: 'warn', text: `${name}: min.insync.replicas equals the replication factor (${minIsr}): losing one broker blocks acks=all writes` });
  if (brokers >= 3 && replicationFactor < 3) findings.push({ severity: 'warn', text: `${name}: replication factor ${replicationFactor} < 3 on a ${brokers}-broker cluster` });
  if (brokers >= 3 && replicationFactor >= 3 && minIsr < 2) findings.push({ severity: 'warn', text: `${name}: min.insync.replicas ${minIsr} < 2: an acks=all write may live on one broker only` });
  if (topic.configs['unclean.leader.election.enable'] === 'true') findings.push({ severity: 'warn', text: `${name}: unclean.leader.election.enable=true: a failover may lose acknowledged messages` });
  const retention = Number(topic.configs['retention.ms'] ?? -1);
  if (retention >= 0 && retention < SHORT_RETENTION_MS && topic.configs['cleanup.policy'] !== 'compact') {
    findings.push({ severity: 'warn', text: `${name}: retention.ms ${retention}: messages are deleted before a consumer down for an hour resumes` });
  }
  return findings;
}

/** The persistence check's Kafka extension: durability settings and findings of the declared topics. */
export function declaredDurability(options: KafkaOptions) {
  return async (context: CheckContext<KafkaResources>) => {
    if (options.topics.length === 0) return undefined;
    const { admin } = context.resources;
    const [cluster, { topics }] = await Promise.all([
      abortable(admin.describeCluster(), context.signal),
      describeTopics(admin, options.topics.map((topic) => topic.name), context.signal, DURABILITY_CONFIGS),
    ]);
    const findings = [...topics.values()].flatMap((topic) => durabilityFindings(topic, cluster.brokers.length));
    const declaredTopics = Object.fromEntries([...topics.values()].map((topic) => [topic.name, { replicationFactor: topic.partitions[0]?.replicas.length, ...topic.configs }]));
    return { findings, evidence: { declaredTopics }, passText: `${topics.size} declared topics meet the durability rules` };
  };
}
