/**
 * When the generator, not the target, was the limit, a failing throughput or open-model latency verdict cannot
 * be trusted: say so instead. (Errors are the target's whatever the generator did, so they still fail.)
 */
import type { Outcome } from '@probe/core';
import type { LoadResult } from '../engine/result.ts';

/** The error code of a verdict the load generator could not support. */
export const GENERATOR_LIMIT = 'PERF_ERR_GENERATOR';

/** An `error` outcome explaining that the generator was saturated, or undefined when it was not. */
export function inconclusive(result: LoadResult, found: string, evidence: Record<string, unknown>): Outcome | undefined {
  if (!result.generator.saturated) return undefined;
  const message = `inconclusive: ${found}, but ${result.generator.reason ?? 'the generator was saturated'}; run the load from a machine with spare CPU, or lower it`;
  return { status: 'error', summary: message, error: { code: GENERATOR_LIMIT, message }, evidence };
}
