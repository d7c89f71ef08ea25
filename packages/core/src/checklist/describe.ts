import type { Status } from '../protocol/types.ts';
import { CHECKLIST_MARKS, type ChecklistMark, type MarkCounts, type MarkedCheck, type MarkedItem } from './types.ts';

/** A check's outcome as the renderers word it: a status, or `configured` (no result). */
export type Verdict = Status | 'configured';

/** The checks of one item that share a verdict, as `id (target, target)` strings. */
export interface VerdictGroup {
  verdict: Verdict;
  /** `ERROR`, `FAIL`, `warn`, `pass`, `skip`, `covered, not run`. Failures shout. */
  word: string;
  checks: string[];
}

const VERDICTS: readonly Verdict[] = ['error', 'fail', 'warn', 'pass', 'skip', 'configured'];

const VERDICT_WORDS: Record<Verdict, string> = {
  error: 'ERROR',
  fail: 'FAIL',
  warn: 'warn',
  pass: 'pass',
  skip: 'skip',
  configured: 'covered, not run',
};

/** How counts of each mark are worded. */
export const MARK_LABELS: Readonly<Record<ChecklistMark, string>> = {
  pass: 'pass',
  fail: 'FAIL',
  skip: 'skip',
  covered: 'not run',
  none: 'not covered',
};

/**
 * The checks behind an item grouped by verdict, worst first; a check on several
 * targets is listed once with its targets: `db.connection.connectivity (orders-db, replica-db)`.
 * `escape` is applied to every id and target name.
 */
export function verdictGroups(item: MarkedItem, escape: (text: string) => string = (text) => text): VerdictGroup[] {
  return VERDICTS.flatMap((verdict) => {
    const matching = item.checks.filter((check) => verdictOf(check) === verdict);
    if (matching.length === 0) return [];
    return [{ verdict, word: VERDICT_WORDS[verdict], checks: checkList(matching, escape) }];
  });
}

/** `FAIL: db.connection.pooling (orders-db); pass: db.connection.pool-size (orders-db)`, or `not covered`. */
export function describeChecks(item: MarkedItem, escape?: (text: string) => string): string {
  const groups = verdictGroups(item, escape);
  if (groups.length === 0) return 'not covered';
  return groups.map((group) => `${group.word}: ${group.checks.join(', ')}`).join('; ');
}

/** `2 pass · 1 FAIL · 2 not covered`: the non-zero counts, in mark order. */
export function describeCounts(counts: MarkCounts): string {
  const parts = CHECKLIST_MARKS.flatMap((mark) =>
    counts[mark] === 0 ? [] : [`${counts[mark]} ${MARK_LABELS[mark]}`],
  );
  return parts.join(' · ');
}

/** `id (target, target)` per check id, in the order the ids first appear. */
export function checkList(checks: readonly MarkedCheck[], escape: (text: string) => string = (text) => text): string[] {
  const targets = new Map<string, string[]>();
  for (const check of checks) {
    const names = targets.get(check.id) ?? [];
    if (check.target !== undefined && !names.includes(check.target)) names.push(check.target);
    targets.set(check.id, names);
  }
  return [...targets].map(([id, names]) =>
    names.length === 0 ? escape(id) : `${escape(id)} (${names.map(escape).join(', ')})`,
  );
}

function verdictOf(check: MarkedCheck): Verdict {
  return check.status ?? 'configured';
}
