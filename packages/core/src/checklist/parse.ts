import { groupSlug, itemSlug, sectionSlug } from './slug.ts';
import type { ChecklistFile, ChecklistItem } from './types.ts';

interface Entry {
  line: number;
  indent: number;
  text: string;
  section: string;
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const CHECKBOX = /^(\s*)[-*+]\s+\[[ xX]\]\s+(.*?)\s*$/;

/**
 * Reads one checklist file into items, in file order. `## Section` headings
 * open sections; a top-level checkbox with nested checkboxes is a group and
 * the nested ones are its items; a top-level checkbox without any is an item.
 * Fenced code blocks are ignored, as are sections without checkboxes.
 * CRLF line ends, trailing spaces and a missing final newline are all fine.
 * Throws, naming the line, on a checkbox outside a section or nested deeper than a group.
 */
export function parseChecklist(markdown: string, file: ChecklistFile): ChecklistItem[] {
  const entries = checkboxes(markdown, file);
  const items: ChecklistItem[] = [];
  let group: Entry | undefined;
  entries.forEach((entry, index) => {
    const next = entries[index + 1];
    const opensGroup = next !== undefined && next.indent > entry.indent && next.section === entry.section;
    if (entry.indent === 0) {
      group = opensGroup ? entry : undefined;
      if (!opensGroup) items.push(item(file, entry));
      return;
    }
    if (group === undefined || group.section !== entry.section) fail(file, entry, 'is indented but has no group above it');
    if (opensGroup) fail(file, entry, 'nests deeper than section › group › item');
    items.push(item(file, entry, group.text));
  });
  return items;
}

function checkboxes(markdown: string, file: ChecklistFile): Entry[] {
  const entries: Entry[] = [];
  let section: string | undefined;
  let fenced = false;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    if (FENCE.test(raw)) fenced = !fenced;
    if (fenced || FENCE.test(raw)) return;
    const heading = HEADING.exec(raw);
    if (heading) {
      if (heading[1]!.length === 1) section = undefined;
      if (heading[1]!.length === 2) section = heading[2]!;
      return;
    }
    const box = CHECKBOX.exec(raw);
    if (!box) return;
    const entry = { line: index + 1, indent: box[1]!.replace(/\t/g, '    ').length, text: box[2]!, section: section ?? '' };
    if (section === undefined) fail(file, entry, 'is not under a "## Section" heading');
    entries.push(entry);
  });
  return entries;
}

function item(file: ChecklistFile, entry: Entry, group?: string): ChecklistItem {
  const segments = [file, sectionSlug(entry.section), ...(group === undefined ? [] : [groupSlug(group)]), itemSlug(entry.text)];
  const id = segments.join('.');
  return group === undefined
    ? { id, file, section: entry.section, text: entry.text }
    : { id, file, section: entry.section, group, text: entry.text };
}

function fail(file: ChecklistFile, entry: Entry, problem: string): never {
  throw new Error(`checklist/${file}.md:${entry.line}: "${entry.text}" ${problem}`);
}
