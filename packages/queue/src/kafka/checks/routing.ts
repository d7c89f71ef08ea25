import { defineCheck, type Check } from '@probe/core';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { describeTopics, type TopicState } from '../metadata.ts';
import type { DeclaredTopic, KafkaOptions } from '../options.ts';
import { kafkaTool } from '../reproduce.ts';
import type { KafkaResources } from '../resources.ts';

/** How a declared topic differs from the cluster's: `partitions 6, expected 12`. */
export function topicMismatches(declared: DeclaredTopic, state: TopicState): string[] {
  const out: string[] = [];
  if (declared.partitions !== undefined && state.partitions.length !== declared.partitions) {
    out.push(`partitions ${state.partitions.length}, expected ${declared.partitions}`);
  }
  if (declared.replicationFactor !== undefined) {
    const factors = [...new Set(state.partitions.map((partition) => partition.replicas.length))];
    if (factors.length !== 1 || factors[0] !== declared.replicationFactor) out.push(`replication factor ${factors.join('/')}, expected ${declared.replicationFactor}`);
  }
  const expected: Record<string, string> = { ...(declared.cleanupPolicy ? { 'cleanup.policy': declared.cleanupPolicy } : {}), ...declared.configs };
  for (const [name, value] of Object.entries(expected)) {
    if (normalise(state.configs[name]) !== normalise(value)) out.push(`${name}=${state.configs[name] ?? '(unset)'}, expected ${value}`);
  }
  return out;
}

/** `compact,delete` and `delete,compact` are the same policy. */
function normalise(value: string | undefined): string | undefined {
  return value?.split(',').map((part) => part.trim()).sort().join(',');
}

/**
 * `queue.mgmt.routing`: every declared topic exists with the declared
 * partition count, replication factor, cleanup policy and configs, so keys
 * map to the partitions producers and consumers expect.
 */
export function routingCheck(options: KafkaOptions): Check<KafkaResources> {
  return defineCheck<KafkaResources>({
    id: 'queue.mgmt.routing',
    title: 'Declared topics exist with the declared partitions, replication factor and configs',
    checklist: ['integration.message-queue.queue-management.verify-routing'],
    async run(context) {
      if (options.topics.length === 0) return { status: 'skip', summary: 'no topics declared', reason: 'no topics declared (option `topics`)' };
      const { topics, missing } = await describeTopics(context.resources.admin, options.topics.map((topic) => topic.name), context.signal);
      const findings: Finding[] = [];
      const report: Record<string, unknown> = {};
      if (missing.length > 0) findings.push({ severity: 'fail', text: `${plural(missing.length, 'declared topic')} ${missing.length === 1 ? 'does' : 'do'} not exist: ${listSome(missing)}` });
      for (const declared of options.topics) {
        const state = topics.get(declared.name);
        if (!state) continue;
        const mismatches = topicMismatches(declared, state);
        report[declared.name] = { partitions: state.partitions.length, replicationFactor: state.partitions[0]?.replicas.length, cleanupPolicy: state.configs['cleanup.policy'], mismatches };
        if (mismatches.length > 0) findings.push({ severity: 'fail', text: `${declared.name}: ${mismatches.join(', ')}` });
      }
      const first = missing[0] ?? options.topics.find((topic) => (report[topic.name] as { mismatches?: string[] } | undefined)?.mismatches?.length)?.name;
      const evidence: Record<string, unknown> = { topics: report, missing };
      if (first) {
        evidence.reproduce = [
          kafkaTool(options, 'kafka-topics.sh', `--describe --topic ${first}`),
          kafkaTool(options, 'kafka-configs.sh', `--describe --entity-type topics --entity-name ${first}`),
        ];
      }
      return verdict(findings, `${plural(options.topics.length, 'declared topic')} exist${options.topics.length === 1 ? 's' : ''} as declared`, evidence);
    },
  });
}
