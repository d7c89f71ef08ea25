import type { Outcome } from '@probe/core';

/** One thing a check found: a defect (`fail`) or something off (`warn`). */
export interface Finding {
  severity: 'fail' | 'warn';
  /** One short clause for the summary: `2 of 3 partitions have no leader`. */
  text: string;
}

/**
 * Turn findings into an outcome: the worst severity wins, the summary lists
 * the findings (fails first), and with none the check passes with `passText`.
 */
export function verdict(findings: readonly Finding[], passText: string, evidence: Record<string, unknown> = {}): Outcome {
  const fails = findings.filter((finding) => finding.severity === 'fail');
  const warns = findings.filter((finding) => finding.severity === 'warn');
  if (fails.length === 0 && warns.length === 0) return { status: 'pass', summary: passText, evidence };
  const summary = [...fails, ...warns].map((finding) => finding.text).join('; ');
  return { status: fails.length > 0 ? 'fail' : 'warn', summary, evidence };
}

/** `1 message`, `3 messages`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** Up to `max` items joined with `, `, then `and N more`. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Round to a few significant digits for summaries and metrics. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
