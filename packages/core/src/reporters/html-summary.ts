/** The top of the HTML report: what run this was, its verdict, and the counts per status, domain and target. */
import { emptyTotals } from '../engine/totals.ts';
import type { Totals } from '../protocol/events.ts';
import type { Result, Status } from '../protocol/types.ts';
import { escapeHtml, htmlAttributes } from './html-escape.ts';
import { compare, domainOf, type HtmlRun } from './html-model.ts';
import { INCOMPLETE } from './replay.ts';
import { formatDuration, plural } from './text.ts';

/** The order the report counts statuses in (as the console's totals line does). */
export const COUNT_ORDER: readonly Status[] = ['pass', 'fail', 'warn', 'skip', 'error'];

/** `passed`, `failed`, …: a status as a count's word. */
export const STATUS_WORDS: Readonly<Record<Status, string>> = { pass: 'passed', fail: 'failed', warn: 'warned', skip: 'skipped', error: 'errored' };

/** The run's verdict in one word, for the header and the page title. */
export function verdictOf(run: HtmlRun): { word: string; tone: Status } {
  const { end } = run;
  if (end.interrupted === INCOMPLETE) return { word: 'INCOMPLETE', tone: 'error' };
  if (end.interrupted) return { word: 'INTERRUPTED', tone: 'error' };
  if (run.results.length === 0) return { word: 'NO CHECKS RAN', tone: 'skip' };
  if (end.exitCode === 0) return end.totals.warn > 0 ? { word: 'PASSED WITH WARNINGS', tone: 'warn' } : { word: 'PASSED', tone: 'pass' };
  if (end.exitCode === 1) return { word: 'FAILED', tone: 'fail' };
  return { word: 'ERRORED', tone: 'error' };
}

/** The header: run id, start time, duration, exit code, interruption, mode and version. */
export function headerHtml(run: HtmlRun, title: string): string {
  const { start, end } = run;
  const verdict = verdictOf(run);
  const mode = [
    start?.readOnly ? 'read-only' : undefined,
    end.strict ? 'strict' : undefined,
    start?.shard ? `shard ${start.shard.index}/${start.shard.total}` : undefined,
  ].filter((part): part is string => part !== undefined);
  const facts: [string, string][] = [
    ['Run', `<code>${escapeHtml(start?.runId ?? end.runId)}</code>`],
    ['Started', timeHtml(start?.time ?? run.results[0]?.startedAt)],
    ['Duration', escapeHtml(formatDuration(end.durationMs))],
    ['Exit code', `<strong data-exit-code="${end.exitCode}">${end.exitCode}</strong> ${escapeHtml(exitMeaning(end.exitCode))}`],
    ['Interrupted', interruptedHtml(run)],
    ['Checks', escapeHtml(checksLine(run))],
  ];
  if (mode.length > 0) facts.push(['Mode', escapeHtml(mode.join(', '))]);
  if (start?.version) facts.push(['probe', escapeHtml(start.version)]);
  return [
    `<header class="run tone-${verdict.tone}">`,
    `<h1>${escapeHtml(title)} <span class="verdict">${escapeHtml(verdict.word)}</span></h1>`,
    '<dl class="facts">',
    ...facts.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`),
    '</dl>',
    '</header>',
  ].join('\n');
}

/** Status cards (each one filters to its status when scripts run) and the tables per domain and per target. */
export function totalsHtml(run: HtmlRun): string {
  const { totals } = run.end;
  const all = COUNT_ORDER.reduce((sum, status) => sum + totals[status], 0);
  const cards = COUNT_ORDER.map((status) =>
    `<li class="card status-${status}${totals[status] === 0 ? ' zero' : ''}"><a${htmlAttributes({ href: '#results', 'data-only-status': status })}>`
    + `<span class="count" data-total="${status}">${totals[status]}</span> <span class="label">${STATUS_WORDS[status]}</span></a></li>`);
  cards.push(`<li class="card total"><a href="#results"><span class="count" data-total="all">${all}</span> <span class="label">checks</span></a></li>`);
  if ((run.end.notRun ?? 0) > 0) cards.push(`<li class="card not-run"><span class="count" data-total="not-run">${run.end.notRun}</span> <span class="label">not run</span></li>`);
  const byDomain = groupTotals(run.results, (result) => domainOf(result.id));
  const byTarget = groupTotals(run.results, (result) => result.target.name);
  const kinds = new Map(run.targets.map((target) => [target.name, target]));
  const out = ['<section id="totals" aria-labelledby="totals-title">', '<h2 id="totals-title">Totals</h2>', `<ul class="cards">${cards.join('')}</ul>`];
  if (run.results.length > 0) {
    out.push('<div class="split">');
    out.push(countTable('Per domain', 'domain', byDomain, () => ''));
    out.push(countTable('Per target', 'target', byTarget, (name) => {
      const target = kinds.get(name);
      return `<span class="kind">${escapeHtml(target?.kind ?? '')}</span>${target?.url ? `<br><code class="url">${escapeHtml(target.url)}</code>` : ''}`;
    }));
    out.push('</div>');
  }
  out.push('</section>');
  return out.join('\n');
}

interface Group {
  totals: Totals;
  ms: number;
}

function groupTotals(results: readonly Result[], keyOf: (result: Result) => string): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const result of results) {
    const key = keyOf(result);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { totals: emptyTotals(), ms: 0 }));
    group.totals[result.status] += 1;
    group.ms += result.durationMs;
  }
  return new Map([...groups].sort((a, b) => compare(a[0], b[0])));
}

function countTable(caption: string, kind: 'domain' | 'target', groups: Map<string, Group>, extra: (name: string) => string): string {
  const head = `<tr><th scope="col">${kind}</th>${COUNT_ORDER.map((status) => `<th scope="col" class="num">${status}</th>`).join('')}<th scope="col" class="num">time</th></tr>`;
  const rows = [...groups].map(([name, group]) => {
    const cells = COUNT_ORDER.map((status) => {
      const count = group.totals[status];
      return `<td class="num${count > 0 ? ` status-${status}` : ' zero'}">${count}</td>`;
    });
    const label = `<code>${escapeHtml(name)}</code>${extra(name) ? ` ${extra(name)}` : ''}`;
    return `<tr${htmlAttributes({ [`data-${kind}-row`]: name })}><th scope="row">${label}</th>${cells.join('')}<td class="num">${escapeHtml(formatDuration(group.ms))}</td></tr>`;
  });
  return `<table class="counts"><caption>${caption}</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function exitMeaning(code: number): string {
  switch (code) {
    case 0: return 'every check passed (warnings and skips allowed)';
    case 1: return 'a check failed';
    case 2: return 'a check errored';
    case 130: return 'interrupted by SIGINT';
    case 143: return 'interrupted by SIGTERM';
    default: return '';
  }
}

function interruptedHtml(run: HtmlRun): string {
  const { end } = run;
  if (!end.interrupted) return 'no';
  const notRun = `${plural(end.notRun ?? 0, 'check')} not run`;
  const unfinished = run.unfinished.length > 0 ? `, ${run.unfinished.length} did not finish` : '';
  if (end.interrupted === INCOMPLETE) {
    return `<strong class="status-error">incomplete</strong>: the stream ends without run-end (the process probably died); ${escapeHtml(notRun + unfinished)}`;
  }
  return `<strong class="status-error">yes</strong>, by ${escapeHtml(end.interrupted)}: ${escapeHtml(notRun + unfinished)}`;
}

function checksLine(run: HtmlRun): string {
  const planned = run.start?.planned;
  const ran = `${plural(run.results.length, 'result')} on ${plural(run.targets.length, 'target')}`;
  return planned === undefined ? ran : `${ran}, ${planned} planned`;
}

/** An ISO time as `2025-01-01 12:00:00 UTC`, in a `<time>` element. */
export function timeHtml(iso: string | undefined): string {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  if (!Number.isFinite(ms)) return 'unknown';
  const text = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `<time datetime="${escapeHtml(new Date(ms).toISOString())}">${text}</time>`;
}
