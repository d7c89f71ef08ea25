import { emptyCounts, outline } from './outline.ts';
import type { ChecklistMarks, CoverageSummary, MarkCounts } from './types.ts';

/** Counts of items per mark: for both checklists, per checklist, and per `## Section`, in catalog order. */
export function coverageSummary(marks: ChecklistMarks): CoverageSummary {
  const counts = emptyCounts();
  const files = outline(marks.items).map((file) => {
    for (const key of Object.keys(counts) as (keyof MarkCounts)[]) counts[key] += file.counts[key];
    return { file: file.file, counts: file.counts, sections: file.sections.map(({ section, counts }) => ({ section, counts })) };
  });
  return { counts, files };
}

/** Items with a check behind them (every mark but `none`). */
export function coveredCount(counts: MarkCounts): number {
  return counts.items - counts.none;
}
