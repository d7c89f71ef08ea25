import type { CheckContext, Outcome } from '@probe/core';

/** Quote for a POSIX shell: `it's` → `'it'\''s'`. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * A one-paste reproduction: `psql '<redacted url>' -c '<sql>'`. Parameters are
 * inlined as literals for reading only; the password stays `***`.
 */
export function psql(context: Pick<CheckContext, 'target' | 'redact'>, sql: string): string {
  const url = context.target.url ?? 'postgres://…';
  return context.redact(`psql ${shellQuote(url)} -c ${shellQuote(sql.replace(/\s+/g, ' ').trim())}`);
}

/** `a, b, c and 4 more` for summaries. */
export function listOf(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** `1 table` / `3 tables`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** A `skip` outcome: `skipped: <what>` as the summary, `reason` (what to do about it) defaulting to `what`. */
export function skipped(what: string, reason = what): Outcome {
  return { status: 'skip', summary: `skipped: ${what}`, reason };
}

/** Milliseconds rounded to 0.1. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The nearest-rank percentile (0–100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `$1`-style parameters written in as literals, for a reproduction command a person pastes. */
export function inlineParams(sql: string, params: readonly unknown[] = []): string {
  return sql.replace(/\$(\d+)/g, (match, digits: string) => {
    const index = Number(digits) - 1;
    if (index < 0 || index >= params.length) return match;
    const value = params[index];
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `'${text.replaceAll("'", "''")}'`;
  });
}

/** Query text with its string literals masked: statistics views may hold values the probe must not copy. */
export function maskLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "'…'");
}
