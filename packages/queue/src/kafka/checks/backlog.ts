import { defineCheck, type Check } from '@probe/core';
import { windowTiming } from '../../shared/options.ts';
import { sampleOverWindow } from '../../shared/time.ts';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { evaluatePartition, groupStatus, type LagSample, type LagStatus } from '../../shared/burrow.ts';
import { assignments, describeGroup, partitionKey, readLag, type PartitionLag } from '../lag.ts';
import type { DeclaredGroup, KafkaOptions } from '../options.ts';
import { kafkaTool } from '../reproduce.ts';
import type { KafkaResources } from '../resources.ts';

/** One group's verdict over the window. */
interface GroupReport {
  group: string;
  status: 'OK' | 'WARN' | 'ERR';
  state: string;
  totalLag: number;
  partitions: { partition: string; status: LagStatus; rule: string; lag: number; lagSeries: number[] }[];
  /** Partitions with no committed offset (lag unknown, as kafka_exporter's −1). */
  noOffset: string[];
  /** Share of partitions with a committed offset in every sample (Burrow's `complete`). */
  complete: number;
}

/**
 * `queue.mgmt.backlog`: consumer lag of the declared groups, read through the
 * admin API (the groups are never joined) over a window of samples and judged
 * by Burrow's rules: OK, WARN (lag never decreases), STALL (owned, not
 * moving), STOP (nobody owns it), REWIND (offsets went back).
 */
export function backlogCheck(options: KafkaOptions): Check<KafkaResources> {
  const { samples, intervalMs } = options.sampling;
  return defineCheck<KafkaResources>({
    id: 'queue.mgmt.backlog',
    title: "Declared groups' lag over a sampling window, judged by Burrow's rules",
    checklist: ['integration.message-queue.queue-management.check-backlog'],
    ...windowTiming(options.sampling),
    async run(context) {
      if (options.groups.length === 0) return { status: 'skip', summary: 'no consumer groups declared', reason: 'no consumer groups declared (option `groups`)' };
      const { admin } = context.resources;
      const { signal } = context;
      const readings = await sampleOverWindow(samples, intervalMs, signal, () => Promise.all(options.groups.map((group) => readLag(admin, group.id, group.topics, signal))));
      const descriptions = await Promise.all(options.groups.map((group) => describeGroup(admin, group.id, signal)));
      const findings: Finding[] = [];
      const reports: GroupReport[] = [];
      options.groups.forEach((group, index) => {
        const series = readings.map(({ at, value }) => ({ at, lags: value[index]! }));
        const owned = new Set(assignments(descriptions[index]!).flatMap((member) => member.partitions));
        const report = evaluateGroup(group, descriptions[index]!.state, series, owned);
        reports.push(report);
        findings.push(...groupFindings(group, report, options.thresholds.lag));
      });
      const totalLag = reports.reduce((sum, report) => sum + report.totalLag, 0);
      context.metric('queue.consumer_lag', totalLag, 'count');
      const failing = reports.find((report) => report.status !== 'OK') ?? reports[0]!;
      const evidence = {
        window: { samples, intervalMs }, groups: reports,
        reproduce: kafkaTool(options, 'kafka-consumer-groups.sh', `--describe --group ${failing.group}`),
      };
      return verdict(findings, `${plural(reports.length, 'group')} OK over ${samples} samples ${intervalMs} ms apart (total lag ${totalLag})`, evidence);
    },
  });
}

/** Evaluate one group's samples (oldest first) against the partitions its live members own. */
function evaluateGroup(group: DeclaredGroup, state: string, series: { at: number; lags: PartitionLag[] }[], owned: ReadonlySet<string>): GroupReport {
  const windows = new Map<string, LagSample[]>();
  for (const { at, lags } of series) {
    for (const lag of lags) {
      if (lag.committed < 0) continue;
      const key = partitionKey(lag.topic, lag.partition);
      windows.set(key, [...(windows.get(key) ?? []), { at, offset: lag.committed, high: lag.high, lag: lag.lag }]);
    }
  }
  const last = series.at(-1)?.lags ?? [];
  const partitions = [...windows].map(([partition, window]) => {
    const evaluation = evaluatePartition(window, owned.has(partition));
    return { partition, status: evaluation.status, rule: evaluation.rule, lag: evaluation.currentLag, lagSeries: window.map((sample) => sample.lag) };
  }).sort((a, b) => a.partition.localeCompare(b.partition, 'en', { numeric: true }));
  const full = [...windows.values()].filter((window) => window.length === series.length).length;
  return {
    group: group.id,
    status: groupStatus(partitions.map((partition) => partition.status)),
    state,
    totalLag: partitions.reduce((sum, partition) => sum + partition.lag, 0),
    partitions,
    noOffset: last.filter((lag) => lag.committed < 0).map((lag) => partitionKey(lag.topic, lag.partition)),
    complete: last.length === 0 ? 0 : Math.round((full / last.length) * 100) / 100,
  };
}

function groupFindings(group: DeclaredGroup, report: GroupReport, defaultMaxLag: number | undefined): Finding[] {
  if (report.partitions.length === 0 && report.noOffset.length === 0) {
    return [{ severity: 'fail', text: `group ${group.id} has no committed offsets${report.state === 'Dead' ? ' and no members: does it exist?' : ` (state ${report.state})`}` }];
  }
  const findings: Finding[] = [];
  const bad = report.partitions.filter((partition) => partition.status !== 'OK');
  if (bad.length > 0) {
    findings.push({
      severity: report.status === 'ERR' ? 'fail' : 'warn',
      text: `group ${group.id} ${report.status}: ${listSome(bad.map((partition) => `${partition.partition} ${partition.status} (lag ${partition.lag}: ${partition.rule})`), 3)}`,
    });
  }
  const maxLag = group.maxLag ?? defaultMaxLag;
  if (maxLag !== undefined && report.totalLag > maxLag) findings.push({ severity: 'warn', text: `group ${group.id} total lag ${report.totalLag} is above ${maxLag}` });
  if (report.noOffset.length > 0) findings.push({ severity: 'warn', text: `group ${group.id} has no committed offset on ${plural(report.noOffset.length, 'partition')} (lag unknown): ${listSome(report.noOffset)}` });
  return findings;
}
