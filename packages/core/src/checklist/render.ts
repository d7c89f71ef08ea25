import { checkList, describeChecks, describeCounts, verdictGroups, type Verdict } from './describe.ts';
import { FILE_TITLES, outline, type OutlineFile } from './outline.ts';
import { coverageSummary, coveredCount } from './summary.ts';
import { CHECKLIST_MARKS, type ChecklistMark, type ChecklistMarks, type ChecklistTextOptions, type MarkCounts, type MarkedItem } from './types.ts';

/**
 * Both checklists as GitHub Markdown: a summary table, then every section,
 * group and item as in the source files, `- [x]` where the item passes and
 * `- [ ]` otherwise, each followed by its mark and the checks behind it:
 * `- [x] Test connectivity — pass: db.connection.connectivity (orders-db)`.
 */
export function renderChecklistMarkdown(marks: ChecklistMarks): string {
  const summary = coverageSummary(marks);
  const lines = [
    '# Checklist coverage',
    '',
    '| Checklist | Items | Covered | pass | FAIL | skip | not run | not covered |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summary.files.map((file) => tableRow(`${FILE_TITLES[file.file]} (\`${file.file}.md\`)`, file.counts)),
    tableRow('**All**', summary.counts),
    '',
    '`FAIL` marks an item with a failing or erroring check; `skip`, one whose checks were all skipped;',
    '`not run`, one covered by a configured check without a result.',
  ];
  for (const file of outline(marks.items)) {
    lines.push('', `## ${FILE_TITLES[file.file]} (\`${file.file}.md\`)`);
    for (const section of file.sections) {
      lines.push('', `### ${section.section}`, '');
      for (const entry of section.entries) {
        if ('items' in entry) {
          lines.push(`- [${entry.counts.pass === entry.counts.items ? 'x' : ' '}] ${entry.group} — ${describeCounts(entry.counts)}`);
          for (const item of entry.items) lines.push(`  ${markdownItem(item)}`);
        } else {
          lines.push(markdownItem(entry));
        }
      }
    }
  }
  if (marks.unknownIds.length > 0) {
    lines.push('', '## Unknown checklist ids', '', 'Named by checks, but not in the catalog:', '');
    for (const unknown of marks.unknownIds) {
      const hint = unknown.suggestion === undefined ? '' : `; did you mean \`${unknown.suggestion}\`?`;
      lines.push(`- \`${unknown.id.replace(/`/g, "'")}\` — named by ${checkList(unknown.checks, escapeMarkdown).join(', ')}${hint}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Both checklists for a terminal: `[✓]` pass, `[✗]` fail or error, `[–]` skipped,
 * `[·]` covered but not run, `[ ]` not covered; the checks behind each item in an
 * aligned column. Plain text unless `color` is set.
 */
export function renderChecklistText(marks: ChecklistMarks, options: ChecklistTextOptions = {}): string {
  const paint = painter(options.color === true);
  const summary = coverageSummary(marks);
  const lines = [
    `${paint('bold', 'Checklist coverage')}  ${coveredCount(summary.counts)}/${summary.counts.items} items covered: ${describeCounts(summary.counts)}`,
    CHECKLIST_MARKS.map((mark) => `${paint(MARK_STYLES[mark], `[${SYMBOLS[mark]}]`)} ${LEGEND[mark]}`).join('  '),
  ];
  for (const file of outline(marks.items)) {
    const width = textWidth(file);
    lines.push('', `${paint('bold', `${FILE_TITLES[file.file]} (${file.file}.md)`)}  ${paint('dim', `${covered(file.counts)} covered`)}`);
    for (const section of file.sections) {
      lines.push(`  ${paint('bold', section.section)}  ${paint('dim', covered(section.counts))}`);
      for (const entry of section.entries) {
        if ('items' in entry) {
          lines.push(`    ${entry.group}  ${paint('dim', covered(entry.counts))}`);
          for (const item of entry.items) lines.push(textItem(item, '      ', width, paint));
        } else {
          lines.push(textItem(entry, '    ', width, paint));
        }
      }
    }
  }
  if (marks.unknownIds.length > 0) {
    lines.push('', paint('bold', 'Unknown checklist ids (named by checks, not in the catalog)'));
    for (const unknown of marks.unknownIds) {
      const hint = unknown.suggestion === undefined ? '' : ` — did you mean ${unknown.suggestion}?`;
      lines.push(`  ${paint('red', unknown.id)}  named by ${checkList(unknown.checks).join(', ')}${hint}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const SYMBOLS: Readonly<Record<ChecklistMark, string>> = { pass: '✓', fail: '✗', skip: '–', covered: '·', none: ' ' };

const LEGEND: Readonly<Record<ChecklistMark, string>> = {
  pass: 'pass',
  fail: 'fail or error',
  skip: 'skipped',
  covered: 'covered, not run',
  none: 'not covered',
};

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const MARK_STYLES: Readonly<Record<ChecklistMark, Style>> = { pass: 'green', fail: 'red', skip: 'yellow', covered: 'cyan', none: 'dim' };

const VERDICT_STYLES: Readonly<Record<Verdict, Style>> = {
  error: 'red',
  fail: 'red',
  warn: 'yellow',
  pass: 'green',
  skip: 'yellow',
  configured: 'cyan',
};

const ANSI: Readonly<Record<Style, readonly [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

type Paint = (style: Style, text: string) => string;

function painter(color: boolean): Paint {
  return (style, text) => (color ? `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : text);
}

function markdownItem(item: MarkedItem): string {
  return `- [${item.mark === 'pass' ? 'x' : ' '}] ${item.text} — ${describeChecks(item, escapeMarkdown)}`;
}

function textItem(item: MarkedItem, indent: string, width: number, paint: Paint): string {
  const box = paint(MARK_STYLES[item.mark], `[${SYMBOLS[item.mark]}]`);
  const label = `${indent}[${SYMBOLS[item.mark]}] ${item.text}`;
  const text = item.mark === 'none' ? paint('dim', item.text) : item.text;
  const detail = verdictGroups(item)
    .map((group) => `${paint(VERDICT_STYLES[group.verdict], `${group.word}:`)} ${group.checks.join(', ')}`)
    .join('; ');
  const line = `${indent}${box} ${text}`;
  return detail === '' ? line : `${line}${' '.repeat(width - label.length + 2)}${detail}`;
}

/** The widest `indent + [x] + text` among a checklist's covered items, so their details line up per file. */
function textWidth(file: OutlineFile): number {
  let width = 0;
  for (const section of file.sections) {
    for (const entry of section.entries) {
      const grouped = 'items' in entry;
      for (const item of grouped ? entry.items : [entry]) {
        if (item.mark !== 'none') width = Math.max(width, (grouped ? 6 : 4) + 4 + item.text.length);
      }
    }
  }
  return width;
}

function covered(counts: MarkCounts): string {
  return `${coveredCount(counts)}/${counts.items}`;
}

function tableRow(label: string, counts: MarkCounts): string {
  const cells = [counts.items, coveredCount(counts), counts.pass, counts.fail, counts.skip, counts.covered, counts.none];
  return `| ${label} | ${cells.join(' | ')} |`;
}

/** Escapes what Markdown would read as markup in ids and target names (they come from user config). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}
