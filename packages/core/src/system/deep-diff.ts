import { canonicalize } from './canonical.ts';

/** One difference between two values, at a dotted path (`tables.orders.count`, `keys[2]`). */
export interface DiffChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/**
 * The differences between `before` and `after` (compared as canonical data, so
 * key order, `Date` objects and `Map`s do not matter), in path order, at most
 * `limit` (default 50). Objects are compared key by key and arrays index by
 * index; anything else by value.
 */
export function deepDiff(before: unknown, after: unknown, limit = 50): DiffChange[] {
  const changes: DiffChange[] = [];
  walk(canonicalize(before), canonicalize(after), '', changes, limit);
  return changes;
}

function walk(before: unknown, after: unknown, path: string, changes: DiffChange[], limit: number): void {
  if (changes.length >= limit) return;
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = Array.isArray(before)
      ? Array.from({ length: Math.max(before.length, (after as unknown[]).length) }, (_, index) => index)
      : [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const child = typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
      const left = (before as Record<string | number, unknown>)[key];
      const right = (after as Record<string | number, unknown>)[key];
      if (left === undefined && right !== undefined) changes.push({ path: child, kind: 'added', after: right });
      else if (left !== undefined && right === undefined) changes.push({ path: child, kind: 'removed', before: left });
      else walk(left, right, child, changes, limit);
      if (changes.length >= limit) return;
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ path: path === '' ? '(value)' : path, kind: 'changed', before, after });
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

/** `orders.count: 3 → 4`, `keys[2]: added "x"`: one line per change for summaries. */
export function describeChange(change: DiffChange): string {
  const show = (value: unknown) => {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  if (change.kind === 'added') return `${change.path}: added ${show(change.after)}`;
  if (change.kind === 'removed') return `${change.path}: removed ${show(change.before)}`;
  return `${change.path}: ${show(change.before)} → ${show(change.after)}`;
}
