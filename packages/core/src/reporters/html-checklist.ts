/** The checklist section of the HTML report: both checklists marked by the run's results, each item linking to its checks. */
import { describeCounts, MARK_LABELS } from '../checklist/describe.ts';
import { markChecklist } from '../checklist/marks.ts';
import { FILE_TITLES, outline } from '../checklist/outline.ts';
import { coverageSummary, coveredCount } from '../checklist/summary.ts';
import type { ChecklistMark, MarkCounts, MarkedCheck, MarkedItem } from '../checklist/types.ts';
import { checkKey } from './collect.ts';
import { escapeHtml, htmlAttributes } from './html-escape.ts';
import type { HtmlRun } from './html-model.ts';

const SYMBOLS: Readonly<Record<ChecklistMark, string>> = { pass: '✓', fail: '✗', skip: '–', covered: '·', none: ' ' };

/** Both checklists with their marks; `item-<catalog id>` anchors; checks link to their results. */
export function checklistHtml(run: HtmlRun): string {
  const marks = markChecklist({ results: run.results });
  const summary = coverageSummary(marks);
  const out = [
    '<section id="checklist" aria-labelledby="checklist-title">',
    `<h2 id="checklist-title">Checklist <span class="muted">${coveredCount(summary.counts)}/${summary.counts.items} items covered</span></h2>`,
    `<p class="legend">${(['pass', 'fail', 'skip', 'covered', 'none'] as const).map((mark) => `${markBox(mark)} ${escapeHtml(MARK_LABELS[mark])}`).join(' ')}`
      + ' <label class="js-only" hidden><input type="checkbox" id="only-covered"> only covered items</label></p>',
  ];
  for (const file of outline(marks.items)) {
    out.push(`<div class="checklist-file"><h3>${escapeHtml(FILE_TITLES[file.file])} <code>${file.file}.md</code> ${countsHtml(file.counts)}</h3><div class="checklist-sections">`);
    for (const section of file.sections) {
      out.push('<div class="checklist-section">', `<h4>${escapeHtml(section.section)} ${countsHtml(section.counts)}</h4>`, '<ul class="items">');
      for (const entry of section.entries) {
        if ('items' in entry) {
          const covered = entry.counts.none < entry.counts.items ? '' : ' uncovered';
          out.push(`<li class="group${covered}"><span class="group-title">${escapeHtml(entry.group)}</span> ${countsHtml(entry.counts)}<ul class="items">`);
          for (const item of entry.items) out.push(itemHtml(item, run));
          out.push('</ul></li>');
        } else {
          out.push(itemHtml(entry, run));
        }
      }
      out.push('</ul>', '</div>');
    }
    out.push('</div></div>');
  }
  if (marks.unknownIds.length > 0) {
    out.push('<h3>Unknown checklist ids</h3><p>Named by checks, but not in the catalog:</p><ul>');
    for (const unknown of marks.unknownIds) {
      const hint = unknown.suggestion === undefined ? '' : `; did you mean <code>${escapeHtml(unknown.suggestion)}</code>?`;
      out.push(`<li><code>${escapeHtml(unknown.id)}</code>: named by ${checksHtml(unknown.checks, run)}${hint}</li>`);
    }
    out.push('</ul>');
  }
  out.push('</section>');
  return out.join('\n');
}

function itemHtml(item: MarkedItem, run: HtmlRun): string {
  const checks = item.checks.length > 0 ? ` <span class="checks">${checksHtml(item.checks, run)}</span>` : '';
  return `<li${htmlAttributes({ id: `item-${item.id}`, class: `item mark-${item.mark}` })}>${markBox(item.mark)} <span class="text">${escapeHtml(item.text)}</span>${checks}</li>`;
}

function checksHtml(checks: readonly MarkedCheck[], run: HtmlRun): string {
  return checks.map((check) => {
    const label = `${escapeHtml(check.id)}${check.target === undefined ? '' : ` <span class="on">(${escapeHtml(check.target)})</span>`}`;
    const status = check.status ?? 'skip';
    const anchor = check.target === undefined ? undefined : run.anchorByKey.get(checkKey(check.target, check.id));
    const title = check.status ?? 'configured, not run';
    return anchor
      ? `<a${htmlAttributes({ class: `check status-${status}`, href: `#${anchor}`, title })}>${label}</a>`
      : `<span${htmlAttributes({ class: `check status-${status}`, title })}>${label}</span>`;
  }).join(' ');
}

function markBox(mark: ChecklistMark): string {
  return `<span class="mark mark-${mark}" title="${escapeHtml(MARK_LABELS[mark])}">${SYMBOLS[mark]}</span>`;
}

function countsHtml(counts: MarkCounts): string {
  return `<span class="counts">${coveredCount(counts)}/${counts.items}${counts.items > counts.none ? ` — ${escapeHtml(describeCounts({ ...counts, none: 0 }))}` : ''}</span>`;
}
