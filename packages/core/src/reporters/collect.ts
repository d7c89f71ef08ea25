import type { CheckStartEvent, RunEndEvent, RunEvent, RunStartEvent } from '../protocol/events.ts';
import type { Result } from '../protocol/types.ts';

/** A run's events sorted into their parts. */
export interface CollectedRun {
  /** The first `run-start`, if the stream has one. */
  start: RunStartEvent | undefined;
  /** Every check's result, in the order the checks ended. */
  results: Result[];
  /** Checks that started but never ended (the run died mid-check). */
  unfinished: CheckStartEvent[];
  /** The last `run-end`, if the stream has one. */
  end: RunEndEvent | undefined;
}

/** `orders-db/db.connection.connectivity`: the key of one check within a run. */
export function checkKey(targetName: string, id: string): string {
  return `${targetName}/${id}`;
}

/** Sort a run's events into run-start, results, unfinished checks and run-end. */
export function collectRun(events: Iterable<RunEvent>): CollectedRun {
  let start: RunStartEvent | undefined;
  let end: RunEndEvent | undefined;
  const results: Result[] = [];
  const running = new Map<string, CheckStartEvent>();
  for (const event of events) {
    switch (event.type) {
      case 'run-start':
        start ??= event;
        break;
      case 'check-start':
        running.set(checkKey(event.target.name, event.id), event);
        break;
      case 'check-end':
        results.push(event.result);
        running.delete(checkKey(event.result.target.name, event.result.id));
        break;
      case 'run-end':
        end = event;
        break;
    }
  }
  return { start, results, unfinished: [...running.values()], end };
}
