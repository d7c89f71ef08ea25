/**
 * The HTML report's inline stylesheet and script. Both are constants (no data
 * from the run is ever put into them), so the page's Content-Security-Policy
 * can allow exactly these two by hash and nothing else.
 */

/** The stylesheet: readable on a laptop, printable (`@media print`), status colours that also carry a word. */
export const REPORT_CSS = `
:root { --pass: #1a7f37; --fail: #cf222e; --error: #8250df; --warn: #9a6700; --skip: #6e7781; --fg: #1f2328; --muted: #59636e;
  --line: #d1d9e0; --soft: #f6f8fa; --link: #0969da; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
[hidden] { display: none !important; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 0 24px 48px; max-width: 1280px; color: var(--fg); background: #fff; font-size: 15px; line-height: 1.45; }
a { color: var(--link); }
code, pre { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
h1 { font-size: 1.6rem; margin: 0 0 8px; } h2 { font-size: 1.3rem; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.02rem; margin: 0 0 6px; } h4 { font-size: 0.95rem; margin: 14px 0 4px; }
.muted, .on, .counts, .details { color: var(--muted); font-weight: normal; }
header.run { margin: 20px 0 0; padding: 16px 20px; border-radius: 8px; border: 1px solid var(--line); border-left: 8px solid var(--tone); background: var(--soft); }
.tone-pass { --tone: var(--pass); } .tone-fail { --tone: var(--fail); } .tone-error { --tone: var(--error); } .tone-warn { --tone: var(--warn); } .tone-skip { --tone: var(--skip); }
.verdict { display: inline-block; margin-left: 8px; padding: 2px 10px; border-radius: 6px; background: var(--tone); color: #fff; font-size: 1rem; vertical-align: middle; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 8px 0 0; }
.facts div { display: flex; gap: 6px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; }
nav.toc { margin: 12px 0 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.cards { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 10px; }
.card a, .card > .count { text-decoration: none; color: inherit; }
.card { min-width: 120px; padding: 10px 16px; border: 1px solid var(--line); border-radius: 8px; border-top: 4px solid var(--c, var(--fg)); }
.card .count { display: block; font-size: 1.8rem; font-weight: 700; color: var(--c, var(--fg)); line-height: 1.1; }
.card.zero { opacity: 0.55; } .card.not-run { --c: var(--error); }
.status-pass { --c: var(--pass); } .status-fail { --c: var(--fail); } .status-error { --c: var(--error); } .status-warn { --c: var(--warn); } .status-skip { --c: var(--skip); }
td.status-pass, td.status-fail, td.status-error, td.status-warn, td.status-skip { color: var(--c); font-weight: 700; }
.zero { color: #8c959f; }
.split { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px 32px; margin-top: 16px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); font-weight: 600; font-size: 0.9em; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.kind { color: var(--muted); font-size: 0.85em; } .url { color: var(--muted); font-size: 0.8em; overflow-wrap: anywhere; }
.badge { display: inline-block; min-width: 52px; padding: 1px 6px; border-radius: 4px; background: var(--c); color: #fff; font-size: 0.78em; font-weight: 700; text-align: center; letter-spacing: 0.03em; }
.filters { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; margin: 16px 0 0; padding: 8px 12px;
  background: rgba(255, 255, 255, 0.96); border: 1px solid var(--line); border-radius: 8px; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 4px; }
.filters legend { float: left; margin-right: 4px; color: var(--muted); font-size: 0.9em; }
.chip { display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border: 1px solid var(--line); border-radius: 999px; font-size: 0.88em; cursor: pointer; }
.chip:has(input:not(:checked)) { opacity: 0.5; text-decoration: line-through; }
.chip .n { color: var(--muted); }
.filters button { padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); cursor: pointer; font: inherit; }
.filtered-out { display: none !important; }
.problem, .perf-card { margin: 12px 0; padding: 12px 16px; border: 1px solid var(--line); border-left: 6px solid var(--c); border-radius: 8px; }
.problem .summary { font-weight: 600; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.error-info code, .error-code { color: var(--error); font-weight: 600; }
pre { margin: 4px 0; padding: 8px 10px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; overflow: auto; max-height: 32em; white-space: pre-wrap; overflow-wrap: anywhere; }
.repro { margin: 4px 0; } .repro figcaption { font-size: 0.8em; color: var(--muted); } .repro pre { background: #fff8c5; border-color: #d4a72c66; }
.evidence:has(> .evidence-all[open]) > .preview { display: none; }
details > summary { cursor: pointer; color: var(--link); font-size: 0.9em; }
.results td .summary { white-space: pre-wrap; overflow-wrap: anywhere; }
.results td:nth-child(3) code { white-space: nowrap; }
.results td:nth-child(2) { overflow-wrap: anywhere; min-width: 12em; } .results td .details { font-size: 0.85em; margin: 4px 0 0; }
.results tr:target, .problem:target, .perf-card:target, li.item:target { outline: 3px solid var(--link); outline-offset: 2px; }
.none { color: var(--muted); font-style: italic; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 12px 20px; }
.chart-figure { margin: 0; } .chart-figure figcaption { font-weight: 600; font-size: 0.9em; }
svg.chart { width: 100%; max-width: 680px; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
svg.chart .grid { stroke: #eaeef2; } svg.chart .axis { stroke: #8c959f; }
svg.chart text { font-size: 11px; fill: var(--muted); font-family: inherit; } svg.chart .legend { fill: var(--fg); font-size: 12px; }
svg.chart .line { fill: none; stroke-width: 2; } svg.chart .bar { fill: #54aeff; } svg.chart .bar:hover { fill: #0969da; } svg.chart .bar.tone-error { fill: #cf222e; }
.series-0 { stroke: #0969da; fill: #0969da; } .series-1 { stroke: #bf8700; fill: #bf8700; } .series-2 { stroke: #cf222e; fill: #cf222e; }
.series-3 { stroke: #8250df; fill: #8250df; } .series-4 { stroke: #1a7f37; fill: #1a7f37; }
svg.chart path.line { fill: none; }
.percentiles { margin: 4px 0 8px; } .chart-link { font-size: 0.9em; }
.checklist-file h3 { margin-top: 20px; } ul.items { list-style: none; padding-left: 0; margin: 2px 0; } ul.items ul.items { padding-left: 22px; }
li.group { margin: 6px 0 2px; } .group-title { font-weight: 600; }
li.item { padding: 1px 0; } li.item.mark-none .text { color: #8c959f; }
.mark { display: inline-block; width: 1.3em; height: 1.3em; line-height: 1.25em; text-align: center; border-radius: 4px; border: 1px solid var(--line); font-size: 0.85em; font-weight: 700; }
.mark-pass { --m: var(--pass); } .mark-fail { --m: var(--fail); } .mark-skip { --m: var(--skip); } .mark-covered { --m: #0969da; }
.mark:not(.mark-none) { background: var(--m); border-color: var(--m); color: #fff; }
.checks { font-size: 0.85em; } a.check, span.check { margin-left: 6px; color: var(--c); font-family: ui-monospace, monospace; }
#checklist.only-covered li.mark-none, #checklist.only-covered li.group.uncovered { display: none; }
.checklist-sections { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 4px 32px; align-items: start; }
.checklist-section h4 { margin-top: 12px; padding-bottom: 2px; border-bottom: 1px solid var(--line); }
.group-title { font-size: 0.94em; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; }
@media (max-width: 720px) { body { padding: 0 10px 32px; } .split, .charts { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filters, .js-only, nav.toc, .chart-link { display: none !important; }
  a { color: inherit; text-decoration: none; }
  pre { max-height: none; overflow: visible; }
  .charts { grid-template-columns: 1fr 1fr; }
  .problem, .perf-card, .chart-figure, tr, li.item, .card { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;

/**
 * The script: shows the filter bar and filters every `[data-status]` entry by
 * the checked statuses, domains and targets; a status card filters to its
 * status; a link to a filtered-out entry shows everything again; printing
 * opens every `<details>`. It reads only attributes and writes only classes
 * and `textContent`.
 */
export const REPORT_JS = `
(() => {
  'use strict';
  const form = document.getElementById('filters');
  for (const element of document.querySelectorAll('.js-only')) element.hidden = false;
  const onlyCovered = document.getElementById('only-covered');
  if (onlyCovered) onlyCovered.addEventListener('change', () => document.getElementById('checklist').classList.toggle('only-covered', onlyCovered.checked));
  const opened = [];
  window.addEventListener('beforeprint', () => {
    for (const details of document.querySelectorAll('details:not([open])')) { details.open = true; opened.push(details); }
  });
  window.addEventListener('afterprint', () => { for (const details of opened.splice(0)) details.open = false; });
  if (!form) return;
  form.hidden = false;
  const entries = [...document.querySelectorAll('[data-status]')];
  const rows = entries.filter((entry) => entry.tagName === 'TR');
  const count = document.getElementById('filter-count');
  const chosen = (name) => new Set([...form.querySelectorAll('input[name="' + name + '"]:checked')].map((input) => input.value));
  const apply = () => {
    const status = chosen('status'), domain = chosen('domain'), target = chosen('target');
    let shown = 0;
    for (const entry of entries) {
      const visible = status.has(entry.dataset.status) && domain.has(entry.dataset.domain) && target.has(entry.dataset.target);
      entry.classList.toggle('filtered-out', !visible);
      if (visible && entry.tagName === 'TR') shown += 1;
    }
    if (count) count.textContent = shown === rows.length ? '(' + rows.length + ')' : '(' + shown + ' of ' + rows.length + ' shown)';
  };
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply, 0));
  for (const link of document.querySelectorAll('[data-only-status]')) {
    link.addEventListener('click', () => {
      for (const input of form.querySelectorAll('input')) input.checked = input.name !== 'status' || input.value === link.dataset.onlyStatus;
      apply();
    });
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    const goal = link ? document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1))) : null;
    if (goal && goal.closest('.filtered-out')) { form.reset(); apply(); }
  });
  apply();
})();
`;
