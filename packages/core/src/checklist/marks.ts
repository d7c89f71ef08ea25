import { STATUSES, type Status } from '../protocol/types.ts';
import { CATALOG } from './catalog.generated.ts';
import { suggestItemId } from './lookup.ts';
import type { ChecklistMark, ChecklistMarks, MarkChecklistInput, MarkedCheck, UnknownChecklistId } from './types.ts';

type Behind = Map<string, MarkedCheck>;

/**
 * Marks every catalog item from a run's results and/or the configured checks.
 * A result decides its item; a configured check without a result makes it
 * `covered`. The same check on the same target counts once (its worst status).
 * Ids that no catalog item has are returned in `unknownIds`, with a suggestion.
 */
export function markChecklist(input: MarkChecklistInput): ChecklistMarks {
  const catalog = input.catalog ?? CATALOG;
  const known = new Set(catalog.map((item) => item.id));
  const behind = new Map<string, Behind>();
  const add = (itemId: string, check: MarkedCheck) => {
    let checks = behind.get(itemId);
    if (!checks) behind.set(itemId, (checks = new Map()));
    const key = `${check.id}\u0000${check.target ?? ''}`;
    const existing = checks.get(key);
    if (!existing || worse(check.status, existing.status)) checks.set(key, check);
  };
  for (const result of input.results ?? []) {
    for (const itemId of new Set(result.checklist)) add(itemId, checkOf(result, result.status));
  }
  for (const check of input.checks ?? []) {
    for (const itemId of new Set(check.checklist)) add(itemId, checkOf(check));
  }
  const items = catalog.map((item) => {
    const checks = sorted(behind.get(item.id));
    return { ...item, mark: markOf(checks), checks };
  });
  const unknownIds: UnknownChecklistId[] = [...behind.keys()]
    .filter((id) => !known.has(id))
    .sort()
    .map((id) => {
      const suggestion = suggestItemId(id, known);
      const checks = sorted(behind.get(id));
      return suggestion === undefined ? { id, checks } : { id, checks, suggestion };
    });
  return { items, unknownIds };
}

/** The mark of an item from the checks behind it. */
function markOf(checks: readonly MarkedCheck[]): ChecklistMark {
  if (checks.length === 0) return 'none';
  const ran = checks.flatMap((check) => (check.status === undefined ? [] : [check.status]));
  if (ran.length === 0) return 'covered';
  if (ran.some((status) => status === 'fail' || status === 'error')) return 'fail';
  if (ran.every((status) => status === 'skip')) return 'skip';
  return 'pass';
}

function checkOf(check: { id: string; target?: { name: string } }, status?: Status): MarkedCheck {
  const marked: MarkedCheck = { id: check.id };
  if (check.target) marked.target = check.target.name;
  if (status) marked.status = status;
  return marked;
}

/** A status beats no status (a result beats a configured check); among statuses the worst wins. */
function worse(status: Status | undefined, than: Status | undefined): boolean {
  if (status === undefined) return false;
  return than === undefined || STATUSES.indexOf(status) < STATUSES.indexOf(than);
}

function sorted(checks: Behind | undefined): MarkedCheck[] {
  return [...(checks?.values() ?? [])].sort(
    (a, b) => compare(a.id, b.id) || compare(a.target ?? '', b.target ?? ''),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
