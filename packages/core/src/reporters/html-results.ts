/** The failures-and-errors section and the full results table of the HTML report. */
import { findItem } from '../checklist/lookup.ts';
import type { CheckStartEvent } from '../protocol/events.ts';
import type { Result, Status, Target } from '../protocol/types.ts';
import { evidenceHtml, reproductionsHtml, type EvidenceLimits } from './html-evidence.ts';
import { escapeHtml, htmlAttributes } from './html-escape.ts';
import { domainOf, UNFINISHED_STATUS, type HtmlRun } from './html-model.ts';
import { chartablePerf } from './html-perf.ts';
import { formatDuration } from './text.ts';

const LABELS: Readonly<Record<Status, string>> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', error: 'ERROR' };

/** What an unfinished check says. */
export const DID_NOT_FINISH = 'did not finish: the run ended before this check did';

/** `<span class="badge status-fail">FAIL</span>` */
export function badge(status: Status, text = LABELS[status]): string {
  return `<span class="badge status-${status}">${escapeHtml(text)}</span>`;
}

/** The attributes the filters read: status, domain (first segment of the id) and target name. */
export function filterAttributes(status: Status, id: string, target: Target): Record<string, string> {
  return { 'data-status': status, 'data-domain': domainOf(id), 'data-target': target.name };
}

/** Failures first, then errors, each with its summary, error, reproduction commands and evidence; then unfinished checks. */
export function problemsHtml(run: HtmlRun, limits: EvidenceLimits): string {
  const fails = run.results.filter((result) => result.status === 'fail');
  const errors = run.results.filter((result) => result.status === 'error');
  const count = fails.length + errors.length + run.unfinished.length;
  const out = ['<section id="problems" aria-labelledby="problems-title">', `<h2 id="problems-title">Failures and errors <span class="muted">(${count})</span></h2>`];
  if (count === 0) out.push('<p class="none">No check failed or errored.</p>');
  for (const result of [...fails, ...errors]) out.push(problemCard(result, run, limits));
  for (const event of run.unfinished) out.push(unfinishedCard(event, run));
  out.push('</section>');
  return out.join('\n');
}

function problemCard(result: Result, run: HtmlRun, limits: EvidenceLimits): string {
  const anchor = run.anchors.get(result)!;
  const parts = [
    `<article${htmlAttributes({ class: `problem status-${result.status}`, id: anchor, ...filterAttributes(result.status, result.id, result.target) })}>`,
    `<h3>${badge(result.status)} <code class="id">${escapeHtml(result.id)}</code> <span class="on">on</span> <code class="target">${escapeHtml(result.target.name)}</code></h3>`,
    `<p class="summary">${escapeHtml(result.summary)}</p>`,
  ];
  if (result.error && result.error.message !== result.summary) parts.push(`<p class="error-info"><code>${escapeHtml(result.error.code)}</code> ${escapeHtml(result.error.message)}</p>`);
  else if (result.error) parts.push(`<p class="error-info"><code>${escapeHtml(result.error.code)}</code></p>`);
  parts.push(reproductionsHtml(result.evidence));
  if (chartablePerf(result.evidence)) parts.push(`<p><a href="#perf-${anchor}">Latency charts</a></p>`);
  parts.push(evidenceHtml(result.evidence, limits));
  parts.push(detailsLine(result), '</article>');
  return parts.filter((part) => part !== '').join('\n');
}

function unfinishedCard(event: CheckStartEvent, run: HtmlRun): string {
  return [
    `<article${htmlAttributes({ class: 'problem status-error unfinished', id: run.anchors.get(event), ...filterAttributes(UNFINISHED_STATUS, event.id, event.target) })}>`,
    `<h3>${badge('error', 'DID NOT FINISH')} <code class="id">${escapeHtml(event.id)}</code> <span class="on">on</span> <code class="target">${escapeHtml(event.target.name)}</code></h3>`,
    `<p class="summary">${escapeHtml(DID_NOT_FINISH)} (started ${escapeHtml(event.time)})</p>`,
    '</article>',
  ].join('\n');
}

/** Title, duration, metrics and checklist items (linked to the checklist section). */
function detailsLine(result: Result): string {
  const parts = [`<span class="title">${escapeHtml(result.title)}</span>`, escapeHtml(formatDuration(result.durationMs))];
  if (result.metrics.length > 0) {
    parts.push(`metrics: ${result.metrics.map((metric) => `<code>${escapeHtml(metric.name)}</code> ${escapeHtml(`${metric.value} ${metric.unit}`)}`).join(', ')}`);
  }
  if (result.checklist.length > 0) parts.push(`checklist: ${checklistLinks(result.checklist)}`);
  return `<p class="details">${parts.join(' · ')}</p>`;
}

function checklistLinks(ids: readonly string[]): string {
  return ids.map((id) => {
    const item = findItem(id);
    return item
      ? `<a${htmlAttributes({ href: `#item-${item.id}`, title: item.id })}>${escapeHtml(item.text)}</a>`
      : `<code class="unknown-item" title="not in the checklist catalog">${escapeHtml(id)}</code>`;
  }).join(', ');
}

/** Every result in one table (by target, then id); evidence of each behind a `<details>`. */
export function resultsTableHtml(run: HtmlRun, limits: EvidenceLimits): string {
  const total = run.results.length + run.unfinished.length;
  const out = [
    '<section id="results" aria-labelledby="results-title">',
    `<h2 id="results-title">Results <span class="muted" id="filter-count">(${total})</span></h2>`,
  ];
  if (total === 0) {
    out.push('<p class="none">No checks ran.</p>', '</section>');
    return out.join('\n');
  }
  out.push('<table class="results"><thead><tr><th scope="col">status</th><th scope="col">check</th><th scope="col">target</th><th scope="col">summary and evidence</th><th scope="col" class="num">time</th></tr></thead><tbody>');
  for (const result of run.results) out.push(resultRow(result, run, limits));
  for (const event of run.unfinished) {
    out.push(`<tr${htmlAttributes({ class: 'status-error', ...filterAttributes(UNFINISHED_STATUS, event.id, event.target) })}>`
      + `<td>${badge('error', 'DID NOT FINISH')}</td><td><a class="id" href="#${run.anchors.get(event)}"><code>${escapeHtml(event.id)}</code></a></td>`
      + `<td><code>${escapeHtml(event.target.name)}</code></td><td>${escapeHtml(DID_NOT_FINISH)}</td><td class="num">–</td></tr>`);
  }
  out.push('</tbody></table>', '</section>');
  return out.join('\n');
}

function resultRow(result: Result, run: HtmlRun, limits: EvidenceLimits): string {
  const anchor = run.anchors.get(result)!;
  const problem = result.status === 'fail' || result.status === 'error';
  // A failure's anchor is its card above (with its evidence open); the row links there.
  const id = problem
    ? `<a class="id" href="#${anchor}"><code>${escapeHtml(result.id)}</code></a>`
    : `<code class="id">${escapeHtml(result.id)}</code>`;
  const summary = [`<span class="summary">${escapeHtml(result.status === 'skip' ? result.reason ?? result.summary : result.summary)}</span>`];
  if (result.error) summary.push(`<br><code class="error-code">${escapeHtml(result.error.code)}</code>`);
  if (!problem) {
    summary.push(reproductionsHtml(result.evidence) === '' ? '' : `<details class="evidence"><summary>Reproduce</summary>${reproductionsHtml(result.evidence)}</details>`);
    summary.push(evidenceHtml(result.evidence, limits, true));
  }
  if (chartablePerf(result.evidence)) summary.push(` <a class="chart-link" href="#perf-${anchor}">charts</a>`);
  summary.push(detailsLine(result));
  return `<tr${htmlAttributes({ class: `status-${result.status}`, id: problem ? undefined : anchor, ...filterAttributes(result.status, result.id, result.target) })}>`
    + `<td>${badge(result.status)}</td><td>${id}</td><td><code>${escapeHtml(result.target.name)}</code></td>`
    + `<td>${summary.join('')}</td><td class="num">${escapeHtml(formatDuration(result.durationMs))}</td></tr>`;
}
