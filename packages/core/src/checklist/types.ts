import type { Status } from '../protocol/types.ts';

/** Which checklist an item comes from: `checklist/integration.md` or `checklist/test-setup.md`. */
export type ChecklistFile = 'integration' | 'test-setup';

/** One item of a checklist, as data. Generated from the checklist files; never edited by hand. */
export interface ChecklistItem {
  /**
   * Stable, lower-case kebab id: `integration.<section>.<group>.<item>` or
   * `test-setup.<section>.<item>`, e.g. `integration.database.connection.test-connectivity`.
   * Public API: checks name items by it.
   */
  readonly id: string;
  /** The checklist the item comes from. */
  readonly file: ChecklistFile;
  /** The `## Section` title, as written (`Database Integration`). */
  readonly section: string;
  /** The group title, as written (`Connection Testing`); integration items only. */
  readonly group?: string;
  /** The item's text, as written (`Test connectivity`). */
  readonly text: string;
}

/**
 * The verdict shown for one checklist item.
 * - `pass`    covered, and every result behind it passed or warned (skipped ones aside, see below);
 * - `fail`    covered, and at least one result behind it failed or errored;
 * - `skip`    covered, but every result behind it was skipped;
 * - `covered` covered by a configured check that has no result (not run);
 * - `none`    no check covers it.
 *
 * An item with passing and skipped results (and nothing failing) is `pass`;
 * the skipped checks are still listed behind it.
 */
export type ChecklistMark = 'pass' | 'fail' | 'skip' | 'covered' | 'none';

/** Every mark, in the order summaries list them. */
export const CHECKLIST_MARKS: readonly ChecklistMark[] = ['pass', 'fail', 'skip', 'covered', 'none'];

/** One check behind a mark: one check id on one target. */
export interface MarkedCheck {
  /** The check's dotted id (`db.connection.connectivity`). */
  id: string;
  /** The target's name (`orders-db`), when known. */
  target?: string;
  /** The result's status; absent when the check is configured but has no result. */
  status?: Status;
}

/** A catalog item with its mark and the checks behind it. */
export interface MarkedItem extends ChecklistItem {
  /** The item's verdict. */
  readonly mark: ChecklistMark;
  /** The checks that name this item, sorted by id then target. Empty when `mark` is `none`. */
  readonly checks: readonly MarkedCheck[];
}

/** A checklist id that some check names but the catalog does not know (a typo, or a stale id). */
export interface UnknownChecklistId {
  /** The id as the check wrote it. */
  id: string;
  /** The checks that name it. */
  checks: MarkedCheck[];
  /** The catalog id it most likely meant, if one is close enough. */
  suggestion?: string;
}

/** What {@link markChecklist} returns: every catalog item marked, in catalog order. */
export interface ChecklistMarks {
  items: readonly MarkedItem[];
  /** Ids named by checks or results that are not in the catalog, sorted. */
  unknownIds: readonly UnknownChecklistId[];
}

/** What a mark is computed from. Only the fields used are required, so NDJSON results and plain config data both fit. */
export interface MarkChecklistInput {
  /** Results of a run (from `check-end` events or an NDJSON file). */
  results?: readonly {
    id: string;
    status: Status;
    checklist?: readonly string[];
    target?: { name: string };
  }[];
  /** Configured checks (e.g. from `probe list`); an item they name without a result is `covered`. */
  checks?: readonly {
    id: string;
    checklist?: readonly string[];
    target?: { name: string };
  }[];
  /** The items to mark; defaults to the whole {@link CATALOG}. */
  catalog?: readonly ChecklistItem[];
}

/** How many items carry each mark, and how many items there are. */
export interface MarkCounts extends Record<ChecklistMark, number> {
  /** How many items were counted (the sum of the marks). */
  items: number;
}

/** The counts of one `## Section` of one checklist. */
export interface SectionCoverage {
  /** The `## Section` title, as written. */
  section: string;
  counts: MarkCounts;
}

/** The counts of one checklist, with its sections in file order. */
export interface FileCoverage {
  file: ChecklistFile;
  counts: MarkCounts;
  /** In file order. */
  sections: SectionCoverage[];
}

/** What {@link coverageSummary} returns. */
export interface CoverageSummary {
  /** Both checklists together. */
  counts: MarkCounts;
  /** Per checklist, in catalog order. */
  files: FileCoverage[];
}

/** Options of {@link renderChecklistText}. */
export interface ChecklistTextOptions {
  /** Colour marks and headings with ANSI escapes (default false: plain text). */
  color?: boolean;
}
