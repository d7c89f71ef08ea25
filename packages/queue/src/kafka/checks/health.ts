import { defineCheck, type Check } from '@probe/core';
import { abortable } from '../../shared/time.ts';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { tlsOptions } from '../client.ts';
import { describeTopics, userTopics } from '../metadata.ts';
import type { KafkaOptions } from '../options.ts';
import { FAILING, describeFinding, partitionFindings, type PartitionFinding, type PartitionProblem } from '../partition-health.ts';
import { handshake } from '../preflight.ts';
import { kafkaTool } from '../reproduce.ts';
import type { KafkaResources } from '../resources.ts';

/** Topics whose partitions are evaluated at most (all of them on most clusters; declared ones always). */
const MAX_TOPICS = 2_000;

const WORDING: Record<PartitionProblem, string> = {
  'offline': 'offline (no live leader)',
  'under-min-isr': 'under min ISR (acks=all writes fail)',
  'under-replicated': 'under-replicated',
  'at-min-isr': 'at min ISR (one more replica loss blocks writes)',
  'leader-not-preferred': 'led by a non-preferred replica',
};

const REPRODUCE: Partial<Record<PartitionProblem, string>> = {
  'offline': '--describe --unavailable-partitions',
  'under-min-isr': '--describe --under-min-isr-partitions',
  'under-replicated': '--describe --under-replicated-partitions',
  'at-min-isr': '--describe --at-min-isr-partitions',
};

/**
 * `queue.mgmt.health`: the controller is elected, the expected brokers are
 * live and every advertised listener is reachable from here (clients connect
 * to what brokers advertise, not to the seeds); no partition is offline,
 * under min ISR or under-replicated (Kafka's TopicCommand rules).
 */
export function healthCheck(options: KafkaOptions): Check<KafkaResources> {
  return defineCheck<KafkaResources>({
    id: 'queue.mgmt.health',
    title: 'Controller, brokers and advertised listeners are up; no partition is offline, under min ISR or under-replicated',
    checklist: ['integration.message-queue.queue-management.monitor-health'],
    async run(context) {
      const { admin } = context.resources;
      const { signal } = context;
      const cluster = await abortable(admin.describeCluster(), signal);
      const live = new Set(cluster.brokers.map((broker) => broker.nodeId));
      const findings: Finding[] = [];
      if (cluster.controller === null || cluster.controller < 0) findings.push({ severity: 'fail', text: 'no active controller' });
      const expected = options.expect.brokers;
      if (expected !== undefined && cluster.brokers.length < expected) {
        findings.push({ severity: 'fail', text: `${cluster.brokers.length} of ${expected} expected brokers are live (${cluster.brokers.map((broker) => broker.nodeId).join(', ')})` });
      }

      const listeners = await Promise.all(cluster.brokers.map(async (broker) => ({
        broker, result: await handshake(`${broker.host}:${broker.port}`, { timeoutMs: options.connectionTimeoutMs, tls: tlsOptions(options) }),
      })));
      const unreachable = listeners.filter(({ result }) => result.kind !== 'kafka');
      if (unreachable.length > 0) {
        findings.push({ severity: 'fail', text: `${plural(unreachable.length, 'advertised listener')} unreachable from the probe: ${listSome(unreachable.map(({ broker, result }) => `broker ${broker.nodeId} at ${broker.host}:${broker.port} (${'detail' in result ? result.detail : ''})`))}` });
      }

      // Probe-owned topics are transient and judged by their own checks; stale ones by queue.mgmt.cleanup.
      const clusterTopics = (await userTopics(admin, signal)).filter((name) => !name.startsWith('probe.')).slice(0, MAX_TOPICS);
      const names = [...new Set([...options.topics.map((topic) => topic.name), ...clusterTopics])];
      const { topics } = await describeTopics(admin, names, signal, ['min.insync.replicas']);
      const problems: PartitionFinding[] = [];
      let partitionCount = 0;
      for (const topic of topics.values()) {
        partitionCount += topic.partitions.length;
        problems.push(...partitionFindings(topic.name, topic.partitions, live, Number(topic.configs['min.insync.replicas'] ?? 1)));
      }
      const byProblem = new Map<PartitionProblem, PartitionFinding[]>();
      for (const problem of problems) byProblem.set(problem.problem, [...(byProblem.get(problem.problem) ?? []), problem]);
      for (const [problem, found] of byProblem) {
        findings.push({ severity: FAILING.has(problem) ? 'fail' : 'warn', text: `${plural(found.length, 'partition')} ${WORDING[problem]}: ${listSome(found.map(describeFinding), 3)}` });
      }
      const reproduce = [...byProblem.keys()].flatMap((problem) => (REPRODUCE[problem] ? [kafkaTool(options, 'kafka-topics.sh', REPRODUCE[problem])] : []));
      const evidence = {
        clusterId: cluster.clusterId, controller: cluster.controller,
        brokers: listeners.map(({ broker, result }) => ({ nodeId: broker.nodeId, advertised: `${broker.host}:${broker.port}`, reachable: result.kind === 'kafka' })),
        topics: topics.size, partitions: partitionCount,
        ...(problems.length > 0 ? { partitionProblems: problems.slice(0, 50), reproduce: reproduce.length ? reproduce : [kafkaTool(options, 'kafka-topics.sh', '--describe')] } : {}),
      };
      context.metric('queue.kafka.brokers', cluster.brokers.length, 'count');
      context.metric('queue.kafka.offline_partitions', byProblem.get('offline')?.length ?? 0, 'count');
      context.metric('queue.kafka.under_replicated_partitions', byProblem.get('under-replicated')?.length ?? 0, 'count');
      return verdict(findings, `${plural(cluster.brokers.length, 'broker')} live (controller ${cluster.controller}), every advertised listener reachable; ${partitionCount} partitions in ${plural(topics.size, 'topic')}: none offline, under min ISR or under-replicated`, evidence);
    },
  });
}
