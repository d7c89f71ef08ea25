import type { ChecklistFile, ChecklistMark, MarkCounts, MarkedItem } from './types.ts';

/** A group of items (`- [ ] Connection Testing`) with its counts. */
export interface OutlineGroup {
  group: string;
  counts: MarkCounts;
  items: MarkedItem[];
}

/** A `## Section` with its counts; its entries are groups or, in test-setup, items. */
export interface OutlineSection {
  section: string;
  counts: MarkCounts;
  entries: (OutlineGroup | MarkedItem)[];
}

/** One checklist with its counts. */
export interface OutlineFile {
  file: ChecklistFile;
  counts: MarkCounts;
  sections: OutlineSection[];
}

/** Display names of the checklists (both files have the same `#` title). */
export const FILE_TITLES: Readonly<Record<ChecklistFile, string>> = {
  integration: 'Integration checklist',
  'test-setup': 'Test setup checklist',
};

/** Marked items back in the shape of their checklists: file › section › group › item, in catalog order. */
export function outline(items: readonly MarkedItem[]): OutlineFile[] {
  const files: OutlineFile[] = [];
  for (const item of items) {
    let file = files.at(-1);
    if (file?.file !== item.file) files.push((file = { file: item.file, counts: emptyCounts(), sections: [] }));
    let section = file.sections.at(-1);
    if (section?.section !== item.section) file.sections.push((section = { section: item.section, counts: emptyCounts(), entries: [] }));
    count(file.counts, item.mark);
    count(section.counts, item.mark);
    if (item.group === undefined) {
      section.entries.push(item);
      continue;
    }
    let group = section.entries.at(-1);
    if (group === undefined || !('items' in group) || group.group !== item.group) {
      section.entries.push((group = { group: item.group, counts: emptyCounts(), items: [] }));
    }
    count(group.counts, item.mark);
    group.items.push(item);
  }
  return files;
}

function count(counts: MarkCounts, mark: ChecklistMark): void {
  counts.items += 1;
  counts[mark] += 1;
}

/** Zero items, zero of each mark. */
export function emptyCounts(): MarkCounts {
  return { items: 0, pass: 0, fail: 0, skip: 0, covered: 0, none: 0 };
}
