import type { Totals } from '../protocol/events.ts';
import type { Result, Status } from '../protocol/types.ts';

/** Zero counts for every status. */
export function emptyTotals(): Totals {
  return { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
}

/** Counts of results per status. */
export function countResults(results: readonly Pick<Result, 'status'>[]): Totals {
  const totals = emptyTotals();
  for (const result of results) totals[result.status as Status] += 1;
  return totals;
}

/** Exit code of a run that was not interrupted: 2 if anything errored, 1 if anything failed (or warned, when strict), else 0. */
export function exitCodeOf(totals: Totals, strict = false): number {
  if (totals.error > 0) return 2;
  if (totals.fail > 0) return 1;
  if (strict && totals.warn > 0) return 1;
  return 0;
}

/** Exit code for an interrupted run: 130 for SIGINT, 143 for SIGTERM (shell convention 128 + signal number). */
export function interruptExitCode(reason: string): number {
  return reason === 'SIGTERM' ? 143 : 130;
}
