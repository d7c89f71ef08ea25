/** perf.trend.regression: the declared load against a baseline from an earlier run's NDJSON. */
import { readFile } from 'node:fs/promises';
import type { Check, Metric } from '@probe/core';
import { parseNdjson } from '@probe/core';
import { CHECKLIST } from '../checklist.ts';
import { round } from '../engine/duration.ts';
import { headlineMetrics } from '../engine/result.ts';
import { runBudgetMs, type LoadSession, type SessionSpec } from '../session.ts';

const DEFAULT_PERCENT = 20;
/** Metrics compared, and which way is worse. */
const COMPARED: { name: string; worse: 'up' | 'down' }[] = [
  { name: 'rps', worse: 'down' }, { name: 'p95_ms', worse: 'up' }, { name: 'p99_ms', worse: 'up' },
];
/** The checks whose results carry the headline metrics. */
const SOURCES = ['perf.load.throughput', 'perf.latency.slo'];

export function trendCheck(spec: SessionSpec, writes: boolean): Check<LoadSession> {
  return {
    id: 'perf.trend.regression',
    title: 'No regression against the baseline run',
    checklist: [...CHECKLIST.trend],
    slow: true,
    writes,
    timeoutMs: runBudgetMs(spec.plan),
    async run(context) {
      const options = spec.options.baseline;
      if (!options) return { status: 'skip', summary: 'no baseline declared', reason: 'not configured: give baseline: { file: "baseline.ndjson" }' };
      let text: string;
      try {
        text = await readFile(options.file, 'utf8');
      } catch {
        const reason = `no baseline at ${options.file} yet: save one with \`probe run --ndjson ${options.file}\` on a known-good build`;
        return { status: 'skip', summary: reason, reason };
      }
      const baseline = baselineMetrics(text, spec.name);
      if (!baseline) {
        const reason = `${options.file} has no ${SOURCES[0]} result for target "${spec.name}"`;
        return { status: 'skip', summary: reason, reason };
      }
      const { result } = await context.resources.main(context);
      const current = new Map(headlineMetrics(result).map((metric) => [metric.name, metric.value]));
      const limit = options.maxRegressionPercent ?? DEFAULT_PERCENT;
      const rows = COMPARED.filter(({ name }) => baseline.has(name) && current.has(name)).map(({ name, worse }) => {
        const before = baseline.get(name)!;
        const now = current.get(name)!;
        const changePercent = before === 0 ? 0 : round(((now - before) / before) * 100);
        const regressed = worse === 'up' ? changePercent > limit : -changePercent > limit;
        return { metric: name, baseline: before, current: now, changePercent, regressed };
      });
      const regressed = rows.filter((row) => row.regressed);
      const describe = (row: (typeof rows)[number]) => `${row.metric} ${row.baseline} → ${row.current} (${row.changePercent > 0 ? '+' : ''}${row.changePercent} %)`;
      const evidence = { baseline: options.file, maxRegressionPercent: limit, comparison: rows };
      const metrics: Metric[] = rows.map((row) => ({ name: `${row.metric}_change_percent`, value: row.changePercent, unit: 'percent' }));
      if (regressed.length > 0) return { status: 'fail', summary: `regressed beyond ${limit} %: ${regressed.map(describe).join(', ')}`, evidence, metrics };
      return { status: 'pass', summary: `within ${limit} % of the baseline: ${rows.map(describe).join(', ')}`, evidence, metrics };
    },
  };
}

/** The headline metrics of the target's latest perf result in an NDJSON run. */
function baselineMetrics(text: string, target: string): Map<string, number> | undefined {
  let found: Map<string, number> | undefined;
  for (const event of parseNdjson(text).events) {
    if (event.type !== 'check-end' || event.result.target.name !== target || !SOURCES.includes(event.result.id)) continue;
    const metrics = new Map(event.result.metrics.map((metric) => [metric.name, metric.value]));
    if (metrics.has('rps') || metrics.has('p95_ms')) found = new Map([...(found ?? []), ...metrics]);
  }
  return found;
}
