import { countResults, exitCodeOf } from '../engine/totals.ts';
import type { Reporter, RunEndEvent, RunEvent } from '../protocol/events.ts';
import { collectRun } from './collect.ts';

/** The `interrupted` value of a run-end made up for a stream that had none. */
export const INCOMPLETE = 'incomplete';

/**
 * The run-end a stream without one (a crashed run) should have had: totals
 * recomputed from its check-end results, the exit code from {@link exitCodeOf} but
 * at least 2 (a run that never finished cannot count as passed),
 * `interrupted: 'incomplete'`, and `notRun` = planned checks without a result.
 */
export function synthesiseRunEnd(events: readonly RunEvent[]): RunEndEvent {
  const { start, results } = collectRun(events);
  const totals = countResults(results);
  const first = events[0];
  const last = events[events.length - 1];
  const startMs = first ? Date.parse(first.time) : NaN;
  let endMs = last ? Date.parse(last.time) : NaN;
  for (const result of results) endMs = Math.max(endMs, Date.parse(result.startedAt) + result.durationMs);
  const durationMs = Number.isFinite(startMs) && Number.isFinite(endMs) ? Math.max(0, endMs - startMs) : 0;
  return {
    v: 1,
    type: 'run-end',
    runId: start?.runId ?? first?.runId ?? 'unknown',
    time: Number.isFinite(endMs) ? new Date(endMs).toISOString() : new Date().toISOString(),
    totals,
    exitCode: Math.max(2, exitCodeOf(totals)),
    durationMs,
    interrupted: INCOMPLETE,
    notRun: Math.max(0, (start?.planned ?? results.length) - results.length),
  };
}

/**
 * Rebuild any report from recorded events (`probe report FILE.ndjson --format …`):
 * feeds every event to every reporter in order, adds a synthesised run-end when
 * the stream has none (see {@link synthesiseRunEnd}), then closes each reporter.
 * Every reporter is closed even when one throws; the first error is rethrown.
 */
export async function replay(events: readonly RunEvent[], reporters: readonly Reporter[]): Promise<void> {
  const hasEnd = events.some((event) => event.type === 'run-end');
  const stream = hasEnd ? events : [...events, synthesiseRunEnd(events)];
  let failure: { error: unknown } | undefined;
  try {
    for (const event of stream) {
      for (const reporter of reporters) await reporter.onEvent(event);
    }
  } catch (error) {
    failure = { error };
  }
  for (const reporter of reporters) {
    try {
      await reporter.close?.();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
