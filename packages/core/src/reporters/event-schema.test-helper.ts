/**
 * Test helper (not part of the published API; needs the `ajv` devDependency):
 * validate run events against the published JSON Schema
 * (`@probe/core/events.schema.json`). Use it in any package's tests:
 * `expect(eventSchemaErrors(events)).toEqual([])`.
 */
import { Ajv } from 'ajv';
import schema from '../../schema/events.schema.json' with { type: 'json' };

// RFC 3339 date-time, as the schema's `format: date-time` means it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', { type: 'string', validate: (text: string) => DATE_TIME.test(text) && Number.isFinite(Date.parse(text)) });
const validate = ajv.compile(schema);

/** True when a string is an RFC 3339 date-time (`2025-01-31T12:00:00.000Z`). */
export function isDateTime(text: string): boolean {
  return DATE_TIME.test(text) && Number.isFinite(Date.parse(text));
}

/** Why one event does not match the schema; empty when it does. */
export function eventErrors(event: unknown): string[] {
  if (validate(event)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}

/** Every schema violation in a list of events, each prefixed with the event's index and type; empty when all are valid. */
export function eventSchemaErrors(events: readonly unknown[]): string[] {
  return events.flatMap((event, index) => {
    const type = (event as { type?: unknown } | null)?.type;
    return eventErrors(event).map((message) => `event ${index} (${String(type)}): ${message}`);
  });
}
