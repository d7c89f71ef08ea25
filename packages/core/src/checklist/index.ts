export { CATALOG, ITEMS, type ChecklistItemId } from './catalog.generated.ts';
export { findItem, isKnownItem, ITEM_IDS, suggestItemId } from './lookup.ts';
export { markChecklist } from './marks.ts';
export { coverageSummary } from './summary.ts';
export { renderChecklistMarkdown, renderChecklistText } from './render.ts';
export { createChecklistReporter } from './reporter.ts';
export {
  CHECKLIST_MARKS,
  type ChecklistFile,
  type ChecklistItem,
  type ChecklistMark,
  type ChecklistMarks,
  type ChecklistTextOptions,
  type CoverageSummary,
  type FileCoverage,
  type MarkChecklistInput,
  type MarkCounts,
  type MarkedCheck,
  type MarkedItem,
  type SectionCoverage,
  type UnknownChecklistId,
} from './types.ts';
