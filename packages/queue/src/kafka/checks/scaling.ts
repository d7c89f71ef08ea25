import { defineCheck, type Check } from '@probe/core';
import type { GroupDescription } from 'kafkajs';
import { sleep } from '../../shared/time.ts';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { assignments, describeGroup, partitionKey, readLag, type MemberAssignment } from '../lag.ts';
import { watermarks } from '../metadata.ts';
import type { DeclaredGroup, KafkaOptions } from '../options.ts';
import { kafkaTool } from '../reproduce.ts';
import type { KafkaResources } from '../resources.ts';

const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance']);
/** Time between group descriptions while waiting out a rebalance. */
const POLL_MS = 200;

/** One group's membership against its partitions. */
export interface ScalingReport {
  group: string;
  state: string;
  members: MemberAssignment[];
  partitions: number;
  /** Members with no partition: more consumers than partitions. */
  idle: string[];
  /** Partitions of the group's topics that no member owns. */
  unowned: string[];
  /** Messages waiting on the group's partitions. */
  lag: number;
}

/** The findings for one group, from its report and how long it was seen rebalancing. */
export function scalingFindings(report: ScalingReport, rebalancingMs: number | undefined): Finding[] {
  const { group, state, members, partitions, idle, unowned, lag } = report;
  if (state === 'Dead') return [{ severity: 'fail', text: `group ${group} does not exist (state Dead, no members)` }];
  if (rebalancingMs !== undefined) return [{ severity: 'fail', text: `group ${group} still ${state} after ${rebalancingMs} ms (rebalance storm or a member that cannot rejoin)` }];
  if (state === 'Empty') {
    return [lag > 0
      ? { severity: 'fail', text: `group ${group} has no members while ${plural(lag, 'message')} wait${lag === 1 ? 's' : ''}` }
      : { severity: 'warn', text: `group ${group} has no members (nothing waits now)` }];
  }
  const findings: Finding[] = [];
  if (unowned.length > 0) findings.push({ severity: 'fail', text: `group ${group}: ${plural(unowned.length, 'partition')} without an owner: ${listSome(unowned)}` });
  if (idle.length > 0) {
    findings.push({ severity: 'warn', text: `group ${group}: ${idle.length} of ${members.length} consumers own no partition (${plural(partitions, 'partition')}): more consumers add no throughput` });
  }
  return findings;
}

/**
 * `queue.mgmt.scaling`: per declared group, members against partitions —
 * idle consumers (more members than partitions), partitions without an owner,
 * and the group state (Stable; Empty while messages wait; a rebalance that
 * does not settle within `thresholds.rebalanceMs`; Dead).
 */
export function scalingCheck(options: KafkaOptions): Check<KafkaResources> {
  const { rebalanceMs } = options.thresholds;
  return defineCheck<KafkaResources>({
    id: 'queue.mgmt.scaling',
    title: 'Declared groups: consumers against partitions, owners of every partition, group state',
    checklist: ['integration.message-queue.queue-management.test-scaling'],
    parallel: true,
    timeoutMs: rebalanceMs + 4_000,
    async run(context) {
      if (options.groups.length === 0) return { status: 'skip', summary: 'no consumer groups declared', reason: 'no consumer groups declared (option `groups`)' };
      const findings: Finding[] = [];
      const reports: ScalingReport[] = [];
      for (const group of options.groups) {
        const { description, rebalancingMs } = await settledGroup(context.resources, group.id, rebalanceMs, context.signal);
        const report = await groupReport(context.resources, group, description, context.signal);
        reports.push(report);
        findings.push(...scalingFindings(report, rebalancingMs));
      }
      const first = reports.find((report) => report.unowned.length || report.idle.length || report.state !== 'Stable') ?? reports[0]!;
      return verdict(findings, reports.map((report) => `${report.group} Stable: ${plural(report.members.length, 'consumer')} on ${plural(report.partitions, 'partition')}`).join('; '), {
        groups: reports, reproduce: kafkaTool(options, 'kafka-consumer-groups.sh', `--describe --group ${first.group} --members --verbose`),
      });
    },
  });
}

/** Describe the group until it is not rebalancing, for at most `boundMs`. */
async function settledGroup(resources: KafkaResources, groupId: string, boundMs: number, signal: AbortSignal): Promise<{ description: GroupDescription; rebalancingMs?: number }> {
  const started = Date.now();
  let description = await describeGroup(resources.admin, groupId, signal);
  while (REBALANCING.has(description.state)) {
    if (Date.now() - started >= boundMs) return { description, rebalancingMs: Date.now() - started };
    await sleep(POLL_MS, signal);
    description = await describeGroup(resources.admin, groupId, signal);
  }
  return { description };
}

async function groupReport(resources: KafkaResources, group: DeclaredGroup, description: GroupDescription, signal: AbortSignal): Promise<ScalingReport> {
  const members = assignments(description);
  const lags = await readLag(resources.admin, group.id, group.topics, signal);
  const topics = [...new Set([...(group.topics ?? []), ...lags.map((lag) => lag.topic), ...members.flatMap((member) => member.topics)])];
  const all: string[] = [];
  for (const topic of topics) for (const { partition } of await watermarks(resources.admin, topic, signal)) all.push(partitionKey(topic, partition));
  const owned = new Set(members.flatMap((member) => member.partitions));
  return {
    group: group.id,
    state: description.state,
    members,
    partitions: all.length,
    idle: members.filter((member) => member.partitions.length === 0).map((member) => `${member.clientId} (${member.host})`),
    unowned: description.state === 'Stable' ? all.filter((key) => !owned.has(key)) : [],
    lag: lags.reduce((sum, lag) => sum + Math.max(0, lag.lag), 0),
  };
}
