import type { Check, ChecklistItemId, Outcome, Status } from '@probe/core';
import { ProbeError, ProbeErrorCode, messageOf } from '@probe/core';
import type { CacheResources } from '../resources.ts';

/** A check of this package. */
export type CacheCheck = Check<CacheResources>;

/** The checklist items the checks answer (integration.md, Cache Integration). */
export const ITEM = {
  readWrite: 'integration.cache.cache-operations.test-read-write',
  expiration: 'integration.cache.cache-operations.verify-expiration',
  invalidation: 'integration.cache.cache-operations.check-invalidation',
  distribution: 'integration.cache.cache-operations.test-distribution',
  performance: 'integration.cache.cache-operations.monitor-performance',
  cachingLogic: 'integration.cache.cache-strategy.test-caching-logic',
  hitRates: 'integration.cache.cache-strategy.verify-hit-rates',
  memory: 'integration.cache.cache-strategy.check-memory-usage',
  eviction: 'integration.cache.cache-strategy.test-eviction',
  efficiency: 'integration.cache.cache-strategy.monitor-efficiency',
  synchronization: 'integration.cache.cache-consistency.test-synchronization',
  updates: 'integration.cache.cache-consistency.verify-updates',
  staleness: 'integration.cache.cache-consistency.check-staleness',
  recovery: 'integration.cache.cache-consistency.test-recovery',
  integrity: 'integration.cache.cache-consistency.monitor-integrity',
} as const satisfies Record<string, ChecklistItemId>;

/**
 * What a refused write means. The server's own refusals are defects of the
 * cache (`fail`): OOM under noeviction, MISCONF when persistence is failing.
 * A replica URL or a missing ACL permission is the probe's configuration
 * (thrown as `error`). Anything else is rethrown.
 */
export function refusedWrite(error: unknown, command: string): Outcome {
  const message = messageOf(error);
  if (/^OOM\b/.test(message)) {
    return { status: 'fail', summary: `writes are refused: ${message}`, evidence: { command, reply: message } };
  }
  if (/^MISCONF\b/.test(message)) {
    return { status: 'fail', summary: 'writes are refused because persistence is failing (MISCONF)', evidence: { command, reply: message } };
  }
  if (/^READONLY\b/.test(message)) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `the URL points at a read-only replica (${message})`, { hint: 'give the primary as `url` and the replica under `replicas`' });
  }
  if (/^NOPERM\b/.test(message)) {
    throw new ProbeError(ProbeErrorCode.AUTH, `the Redis user may not write the probe's keys: ${message}`, { hint: 'allow the user ~probe:* (or set probeKeyPrefix to a pattern it may write)' });
  }
  throw error;
}

/** One judged property (memory, eviction, persistence findings). */
export interface Finding {
  status: Exclude<Status, 'skip' | 'error'>;
  text: string;
}

/** The worst status among findings, and a summary naming the first finding of that status (`… (+2 more)`). */
export function verdictOf(findings: readonly Finding[]): { status: Finding['status']; summary: string } {
  const status = (['fail', 'warn'] as const).find((level) => findings.some((finding) => finding.status === level)) ?? 'pass';
  const shown = findings.filter((finding) => finding.status === status);
  if (status === 'pass') return { status, summary: findings.map((finding) => finding.text).join('; ') };
  return { status, summary: `${shown[0]!.text}${shown.length > 1 ? ` (+${shown.length - 1} more)` : ''}` };
}
