/** Judging a load result against declared thresholds (the SLO). */
import { round } from './engine/duration.ts';
import type { LatencySummary, LoadResult } from './engine/result.ts';
import type { Thresholds } from './types.ts';

/** One threshold a result broke. */
export interface Violation {
  /** `p99_ms`, `error_rate`, `rps`. */
  metric: string;
  limit: number;
  actual: number;
}

const LATENCY: [keyof Thresholds, keyof LatencySummary, string][] = [
  ['p50Ms', 'p50', 'p50_ms'], ['p90Ms', 'p90', 'p90_ms'], ['p95Ms', 'p95', 'p95_ms'],
  ['p99Ms', 'p99', 'p99_ms'], ['p999Ms', 'p999', 'p99.9_ms'], ['maxMs', 'max', 'max_ms'],
];

/** The default highest acceptable error rate. */
const DEFAULT_MAX_ERROR_RATE = 0.01;

/** True when any latency threshold is declared. */
export function hasLatencyThresholds(thresholds: Thresholds | undefined): boolean {
  return LATENCY.some(([key]) => thresholds?.[key] !== undefined);
}

/** Latency thresholds broken, slowest percentile first. */
function latencyViolations(result: LoadResult, thresholds: Thresholds | undefined): Violation[] {
  const out: Violation[] = [];
  for (const [key, field, metric] of LATENCY) {
    const limit = thresholds?.[key];
    if (limit !== undefined && result.latency[field] > limit) out.push({ metric, limit, actual: result.latency[field] });
  }
  return out.reverse();
}

/** The error-rate threshold, when broken. */
export function errorViolation(result: LoadResult, thresholds: Thresholds | undefined): Violation | undefined {
  const limit = thresholds?.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE;
  return result.errorRate > limit ? { metric: 'error_rate', limit, actual: round(result.errorRate) } : undefined;
}

/** Every SLO threshold a result broke: latency, then errors. */
export function sloViolations(result: LoadResult, thresholds: Thresholds | undefined): Violation[] {
  const error = errorViolation(result, thresholds);
  return [...latencyViolations(result, thresholds), ...(error ? [error] : [])];
}

/** `p99 412 ms > 250 ms, error_rate 0.031 > 0.01`. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.metric.replace(/_ms$/, '')} ${v.actual}${v.metric.endsWith('_ms') ? ' ms' : ''} > ${v.limit}${v.metric.endsWith('_ms') ? ' ms' : ''}`).join(', ');
}
