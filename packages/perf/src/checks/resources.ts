/** perf.resources: the target's CPU and memory during the declared load, the peak, and the bottleneck suspect. */
import type { Check } from '@probe/core';
import { CHECKLIST } from '../checklist.ts';
import { round } from '../engine/duration.ts';
import type { LoadResult } from '../engine/result.ts';
import type { ResourceReport } from '../resources/sampler.ts';
import { runBudgetMs, type LoadSession, type SessionSpec } from '../session.ts';

const MIB = 1024 * 1024;
/** A process at or above this share of a core at peak is CPU-bound. */
export const CPU_BOUND_PERCENT = 90;

export function resourcesCheck(spec: SessionSpec, writes: boolean): Check<LoadSession> {
  return {
    id: 'perf.resources',
    title: 'CPU and memory of the target under load, and the bottleneck suspect',
    checklist: [...CHECKLIST.resources],
    slow: true,
    writes,
    timeoutMs: runBudgetMs(spec.plan) + 2_000,
    async run(context) {
      const options = spec.options.resources;
      if (!options) return { status: 'skip', summary: 'no process to watch', reason: 'not configured: give resources: { pid } or { metricsUrl }' };
      const { result, resources } = await context.resources.main(context);
      const report = resources!;
      const suspects = bottlenecks(report, result);
      const problems: string[] = [];
      if (options.maxCpuPercent !== undefined && report.peakCpuPercent > options.maxCpuPercent) {
        problems.push(`peak CPU ${report.peakCpuPercent} % > ${options.maxCpuPercent} %`);
      }
      if (options.maxRssMb !== undefined && report.peakRssBytes / MIB > options.maxRssMb) {
        problems.push(`peak RSS ${mb(report.peakRssBytes)} MiB > ${options.maxRssMb} MiB`);
      }
      const evidence = { ...report, suspects, generator: result.generator, load: { rps: round(result.rps), latency: result.latency } };
      const metrics = [
        { name: 'cpu_peak_percent', value: report.peakCpuPercent, unit: 'percent' },
        { name: 'cpu_mean_percent', value: report.meanCpuPercent, unit: 'percent' },
        { name: 'rss_peak_bytes', value: report.peakRssBytes, unit: 'bytes' },
      ];
      const seen = `${report.source}: peak CPU ${report.peakCpuPercent} % of a core (mean ${report.meanCpuPercent} %), RSS ${mb(report.startRssBytes)} → peak ${mb(report.peakRssBytes)} MiB`;
      const suspect = `bottleneck suspect: ${suspects[0]}`;
      if (problems.length > 0) return { status: 'fail', summary: `${problems.join('; ')} (${seen}); ${suspect}`, evidence, metrics };
      return { status: 'pass', summary: `${seen}; ${suspect}`, evidence, metrics };
    },
  };
}

/** What most likely limits the target, most likely first. */
export function bottlenecks(report: ResourceReport, result: LoadResult): string[] {
  const suspects: string[] = [];
  if (result.generator.saturated) suspects.push(`the load generator (${result.generator.reason})`);
  if (report.peakCpuPercent >= CPU_BOUND_PERCENT) suspects.push(`CPU: the process reached ${report.peakCpuPercent} % of a core`);
  const growth = report.endRssBytes - report.startRssBytes;
  if (growth > 20 * MIB && growth > report.startRssBytes * 0.25) {
    suspects.push(`memory: RSS grew ${mb(growth)} MiB during the load (a leak, or a queue without bound?)`);
  }
  if (suspects.length === 0) {
    suspects.push(result.latency.p99 > 10 * Math.max(result.latency.p50, 1)
      ? 'not CPU or memory: the tail comes from waiting (I/O, locks, a dependency or a queue)'
      : 'none evident: CPU and memory have room at this load');
  }
  return suspects;
}

function mb(bytes: number): number {
  return round(bytes / MIB);
}
