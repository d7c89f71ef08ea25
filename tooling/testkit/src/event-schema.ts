import type { Reporter, RunEvent } from '@probe/core';
// One validator for the whole repo: core's test helper against the published schema.
import { eventErrors } from '../../../packages/core/src/reporters/event-schema.test-helper.ts';

/** Problems of one event against the published events schema (empty when valid). */
export function eventProblems(event: unknown): string[] {
  return eventErrors(event);
}

/** Throw when an event does not validate against the schema, naming the event and the problems. */
export function assertValidEvent(event: unknown): void {
  const problems = eventProblems(event);
  if (problems.length > 0) {
    throw new Error(`event does not match events.schema.json:\n  ${problems.slice(0, 5).join('\n  ')}\nevent: ${JSON.stringify(event).slice(0, 500)}`);
  }
}

/**
 * A reporter that keeps every event and validates each against the schema as it
 * arrives, so every run a test makes also tests the protocol.
 */
export function collectEvents(): Reporter & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return {
    events,
    onEvent(event) {
      const copy = structuredClone(event);
      assertValidEvent(JSON.parse(JSON.stringify(copy)));
      events.push(copy);
    },
  };
}
