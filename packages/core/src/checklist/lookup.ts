import { CATALOG, type ChecklistItemId } from './catalog.generated.ts';
import type { ChecklistItem } from './types.ts';

const BY_ID: ReadonlyMap<string, ChecklistItem> = new Map(CATALOG.map((item) => [item.id, item]));

/** Every catalog id. */
export const ITEM_IDS: ReadonlySet<string> = new Set(BY_ID.keys());

/** The catalog item with this id, or `undefined`. */
export function findItem(id: string): ChecklistItem | undefined {
  return BY_ID.get(id);
}

/** True when `id` names a catalog item. */
export function isKnownItem(id: string): id is ChecklistItemId {
  return BY_ID.has(id);
}

/**
 * The catalog id an unknown id most likely meant, or `undefined`: the one id
 * ending in `.<id>` (a missing `integration.` prefix), else the nearest id
 * within a few edits (a typo).
 */
export function suggestItemId(id: string, ids: Iterable<string> = ITEM_IDS): string | undefined {
  const known = [...ids];
  if (known.includes(id)) return id;
  const suffixed = known.filter((candidate) => candidate.endsWith(`.${id}`));
  if (suffixed.length === 1) return suffixed[0];
  const budget = Math.max(2, Math.floor(id.length / 10));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of known) {
    const distance = editDistance(id, candidate, bestDistance);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    if (Math.min(...current) >= limit) return limit;
    previous = current;
  }
  return previous[b.length]!;
}
