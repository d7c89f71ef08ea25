import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, RunEvent } from '../protocol/events.ts';
import { REPORT_CSS, REPORT_JS } from './html-assets.ts';
import { checklistHtml } from './html-checklist.ts';
import { escapeHtml } from './html-escape.ts';
import { filtersHtml } from './html-filters.ts';
import { htmlRun } from './html-model.ts';
import { perfSectionHtml } from './html-perf-section.ts';
import { problemsHtml, resultsTableHtml } from './html-results.ts';
import { COUNT_ORDER, headerHtml, STATUS_WORDS, totalsHtml, verdictOf } from './html-summary.ts';

/** Options of {@link renderHtml} and {@link createHtmlReporter}. */
export interface HtmlReportOptions {
  /** The page's heading (default `probe report`). */
  title?: string;
  /** Evidence longer than this many lines of pretty JSON shows a preview and the rest behind a toggle (default 20). */
  collapseEvidenceAfterLines?: number;
  /** Evidence JSON past this many characters is cut in the page; the NDJSON keeps all of it (default 100 000). */
  maxEvidenceChars?: number;
}

/**
 * A run as one self-contained HTML page: no network (inline CSS, a small inline
 * script, inline SVG charts; a Content-Security-Policy that allows exactly
 * those and nothing else), readable from disk, printable. Header (run id,
 * time, duration, exit code, interruption), totals per status, domain and
 * target, failures and errors first with their reproduction commands and
 * evidence, latency charts for results with `PerfEvidence`, the full
 * results table, and both checklists marked, each item linking to its checks.
 * Filters by status, domain and target work with scripts on; without them
 * everything is shown. Every string from a result is escaped: it stays text.
 * Deterministic: the same events give the same bytes.
 */
export function renderHtml(events: readonly RunEvent[], options: HtmlReportOptions = {}): string {
  const run = htmlRun(events);
  const title = options.title ?? 'probe report';
  const limits = { collapseAfterLines: options.collapseEvidenceAfterLines ?? 20, maxChars: options.maxEvidenceChars ?? 100_000 };
  const { totals } = run.end;
  const counted = COUNT_ORDER.filter((status) => totals[status] > 0).map((status) => `${totals[status]} ${STATUS_WORDS[status]}`);
  const pageTitle = `${title}: ${verdictOf(run).word} — ${counted.join(', ') || 'no checks'}`;
  const problems = totals.fail + totals.error + run.unfinished.length;
  const perf = perfSectionHtml(run);
  const toc = [
    '<nav class="toc" aria-label="Sections">',
    '<a href="#totals">Totals</a>',
    `<a href="#problems">Failures and errors (${problems})</a>`,
    perf === '' ? '' : '<a href="#perf">Performance</a>',
    '<a href="#results">Results</a>',
    '<a href="#checklist">Checklist</a>',
    '</nav>',
  ].filter((part) => part !== '').join(' ');
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(REPORT_CSS)}'`,
    `script-src '${sha256(REPORT_JS)}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="probe">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(pageTitle)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    headerHtml(run, title),
    toc,
    '<main>',
    totalsHtml(run),
    filtersHtml(run),
    problemsHtml(run, limits),
    perf,
    resultsTableHtml(run, limits),
    checklistHtml(run),
    '</main>',
    `<footer>Written by probe${run.start?.version ? ` ${escapeHtml(run.start.version)}` : ''} from the run's events; rebuild it with <code>probe report RUN.ndjson --format html</code>.</footer>`,
    `<script>${REPORT_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].filter((part) => part !== '').join('\n');
}

/**
 * A reporter that collects the run's events and writes {@link renderHtml}'s page
 * to `path` on close (creating parent directories; written to a temporary file
 * and renamed, so a browser never opens half a file). An interrupted run gets
 * a report of what finished.
 */
export function createHtmlReporter(path: string, options: HtmlReportOptions = {}): Reporter {
  const events: RunEvent[] = [];
  return {
    onEvent: (event) => { events.push(event); },
    close() {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, renderHtml(events, options));
      renameSync(temporary, path);
    },
  };
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
