/** The performance section of the HTML report: charts for every result whose evidence carries a latency series or histogram. */
import type { Result } from '../protocol/types.ts';
import { escapeHtml, htmlAttributes } from './html-escape.ts';
import type { HtmlRun } from './html-model.ts';
import { chartablePerf, type ChartablePerf } from './html-perf.ts';
import { badge, filterAttributes } from './html-results.ts';
import { barChart, formatValue, lineChart } from './html-svg.ts';

/** One card of charts per perf result, or nothing when no result has perf evidence. */
export function perfSectionHtml(run: HtmlRun): string {
  const cards = run.results.flatMap((result) => {
    const perf = chartablePerf(result.evidence);
    return perf ? [perfCard(result, perf, run.anchors.get(result)!)] : [];
  });
  if (cards.length === 0) return '';
  return ['<section id="perf" aria-labelledby="perf-title">', '<h2 id="perf-title">Performance</h2>', ...cards, '</section>'].join('\n');
}

function perfCard(result: Result, perf: ChartablePerf, anchor: string): string {
  const name = `${result.id} on ${result.target.name}`;
  const charts: string[] = [];
  const latency = perf.latencyKeys.map((key) => ({
    name: key.replace(/_ms$/, ''),
    points: perf.series.flatMap((sample) => (sample[key] === undefined ? [] : [[sample.t, sample[key]] as const])),
  }));
  if (latency.length > 0) {
    charts.push(figure('Latency over time', lineChart(latency, { title: `Latency over time: ${name}`, xLabel: 'time (s)', yLabel: 'latency (ms)' })));
  }
  const rps = perf.series.flatMap((sample) => (sample.rps === undefined ? [] : [[sample.t, sample.rps] as const]));
  if (rps.length > 0) {
    charts.push(figure('Throughput', lineChart([{ name: 'requests/s', points: rps }], { title: `Throughput: ${name}`, xLabel: 'time (s)', yLabel: 'requests/s' })));
  }
  const errors = perf.series.flatMap((sample) => (sample.errors === undefined ? [] : [{ label: formatValue(sample.t), value: sample.errors }]));
  if (errors.some((bar) => bar.value > 0)) {
    charts.push(figure('Errors', barChart(errors, { title: `Errors per window: ${name}`, xLabel: 'time (s)', yLabel: 'errors', tone: 'error' })));
  }
  if (perf.buckets.length > 0) {
    const bars = trimZeros(perf.buckets).map((bucket) => ({ label: `≤${formatValue(bucket.le_ms)}`, value: bucket.count }));
    charts.push(figure('Latency histogram', barChart(bars, { title: `Latency histogram: ${name}`, xLabel: 'latency (ms, upper bound of each bucket)', yLabel: 'requests' })));
  } else if (perf.percentiles.length > 0) {
    const bars = perf.percentiles.map((entry) => ({ label: `p${formatValue(entry.p)}`, value: entry.ms }));
    charts.push(figure('Latency percentiles', barChart(bars, { title: `Latency percentiles: ${name}`, xLabel: 'percentile', yLabel: 'latency (ms)' })));
  }
  const percentiles = perf.percentiles.length > 0
    ? `<p class="percentiles">${perf.percentiles.map((entry) => `p${escapeHtml(formatValue(entry.p))} <strong>${escapeHtml(formatValue(entry.ms))} ms</strong>`).join(' · ')}</p>`
    : '';
  return [
    `<article${htmlAttributes({ class: 'perf-card', id: `perf-${anchor}`, ...filterAttributes(result.status, result.id, result.target) })}>`,
    `<h3>${badge(result.status)} <a href="#${anchor}"><code class="id">${escapeHtml(result.id)}</code></a> <span class="on">on</span> <code class="target">${escapeHtml(result.target.name)}</code></h3>`,
    `<p class="summary">${escapeHtml(result.summary)}</p>`,
    percentiles,
    `<div class="charts">${charts.join('')}</div>`,
    '</article>',
  ].filter((part) => part !== '').join('\n');
}

function figure(caption: string, svg: string): string {
  return `<figure class="chart-figure"><figcaption>${caption}</figcaption>${svg}</figure>`;
}

/** Buckets without the empty ones before the first and after the last non-empty one. */
function trimZeros<T extends { count: number }>(buckets: readonly T[]): T[] {
  const first = buckets.findIndex((bucket) => bucket.count > 0);
  if (first < 0) return [...buckets];
  const last = buckets.findLastIndex((bucket) => bucket.count > 0);
  return buckets.slice(first, last + 1);
}
