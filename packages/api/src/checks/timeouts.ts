import type { ResolvedOptions } from '../options.ts';

/** Deadline of a case-generating check: its time budget plus one request's timeout and a margin to report. */
export function caseCheckTimeout(options: ResolvedOptions): number {
  return options.limits.budgetMs + options.limits.requestTimeoutMs + 1_000;
}

/** Deadline of a check that sends a handful of requests. */
export function fewRequestsTimeout(options: ResolvedOptions, requests = 6): number {
  return Math.max(5_000, Math.min(options.limits.budgetMs, requests * options.limits.requestTimeoutMs) + 1_000);
}
