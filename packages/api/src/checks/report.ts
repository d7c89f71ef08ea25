import type { Outcome } from '@probe/core';
import type { Sweep } from '../cases/sweep.ts';

/** Evidence items kept per list; the rest are counted. */
export const MAX_FINDINGS = 20;

/** `a, b, c and 4 more`. */
export function listed(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Cap a list of evidence items, saying how many were left out. */
export function capped<T>(items: readonly T[], max = MAX_FINDINGS): { items: T[]; omitted?: number } {
  return items.length > max ? { items: items.slice(0, max), omitted: items.length - max } : { items: [...items] };
}

/** Operations the sweep did not exercise, grouped by reason (for evidence). */
export function notCoveredByReason(sweep: Sweep): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { key, reason } of sweep.notCovered) (out[reason] ??= []).push(key);
  return out;
}

/** ` (3 not exercised: writes are not allowed)` or ``. */
export function coverageNote(sweep: Sweep): string {
  if (sweep.notCovered.length === 0) return '';
  const reasons = Object.keys(notCoveredByReason(sweep));
  return ` (${sweep.notCovered.length} not exercised: ${listed(reasons, 2)})`;
}

/** A skip outcome. */
export function skipped(reason: string): Outcome {
  return { status: 'skip', summary: `skipped: ${reason}`, reason };
}

/** `1 operation`, `3 operations`, `2 bodies`. */
export function plural(count: number, noun: string): string {
  if (count === 1) return `${count} ${noun}`;
  return `${count} ${/[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}

/** The sweep was cut short by a bound (time budget or maxOperations), not by choice (writes off). */
export function cutShort(sweep: Sweep): boolean {
  return sweep.notCovered.some((entry) => /budget|maxOperations/.test(entry.reason));
}
