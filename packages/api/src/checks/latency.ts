import type { Check } from '@probe/core';
import { toCurl } from '../client/curl.ts';
import { budgetOf, mapLimit, percentile } from '../cases/limit.ts';
import { identityFor, isSafe, sendAs } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { capped, listed, plural } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

/**
 * `api.endpoints.latency`: per-operation latency over `thresholds.samples` requests of every
 * safe operation; fails when an operation's p95 is above its threshold.
 */
export function latencyCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.endpoints.latency',
    title: 'Operation latency is within its p95 threshold',
    checklist: ['integration.api.endpoint.monitor-performance', 'integration.performance.integration-performance.test-latency'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const { resources } = context;
      const sweep = await resources.sweep(context);
      const targets = sweep.entries.filter((entry) => isSafe(entry.operation) && (entry.exchange.response?.status ?? 500) < 500);
      if (targets.length === 0) return { status: 'skip', summary: 'skipped: no safe operation answered in the sweep', reason: 'no safe operation answered in the sweep' };
      const budget = budgetOf(options.limits.budgetMs, context.deadline);
      const extra = Math.max(0, options.thresholds.samples - 1);
      const jobs = targets.flatMap((entry) => Array.from({ length: extra }, () => entry));
      const timings = new Map(targets.map((entry) => [entry.operation.key, [entry.exchange.durationMs]]));
      await mapLimit(jobs, 1, budget, context.signal, async (entry) => {
        const exchange = await sendAs(context, identityFor(resources, entry.operation), entry.case.send);
        if (exchange.response) timings.get(entry.operation.key)!.push(exchange.durationMs);
      });
      const rows = targets.map((entry) => {
        const samples = timings.get(entry.operation.key)!;
        const limit = options.thresholds.operations?.[entry.operation.key]?.p95Ms ?? options.thresholds.p95Ms;
        return {
          operation: entry.operation.key, samples: samples.length, limitMs: limit,
          p50Ms: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), maxMs: round(Math.max(...samples)),
          curl: toCurl(entry.exchange.request, context.redact),
        };
      }).sort((a, b) => b.p95Ms - a.p95Ms);
      const all = [...timings.values()].flat();
      context.metric('api.latency.p50_ms', round(percentile(all, 50)), 'ms');
      context.metric('api.latency.p95_ms', round(percentile(all, 95)), 'ms');
      context.metric('api.latency.max_ms', round(Math.max(...all)), 'ms');
      context.metric('api.latency.samples', all.length, 'count');
      const slow = rows.filter((row) => row.p95Ms > row.limitMs);
      const evidence = { operations: capped(rows), ...(budget.spent() ? { note: 'time budget spent before every sample was taken' } : {}) };
      if (slow.length > 0) {
        return { status: 'fail', summary: `${slow.length} of ${rows.length} operations are over their p95 threshold: ${listed(slow.map((row) => `${row.operation} p95 ${row.p95Ms} ms > ${row.limitMs} ms`), 2)}`, evidence };
      }
      return { status: 'pass', summary: `${plural(rows.length, 'operation')} within their p95 thresholds; slowest ${rows[0]!.operation} p95 ${rows[0]!.p95Ms} ms (${all.length} samples)`, evidence };
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
