import type { Check } from '@probe/core';
import { describeExchange } from '../client/curl.ts';
import type { SweepEntry } from '../cases/sweep.ts';
import { getPointer } from '../json-pointer.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { mediaFor, responseFor } from '../spec/operations.ts';
import type { SchemaValidator } from '../spec/validator.ts';
import { capped, coverageNote, cutShort, listed, plural } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

/** A body that does not match its documented schema. */
export interface SchemaViolation {
  operation: string;
  status: number;
  /** JSON pointer of the first problem (`` for the root). */
  pointer: string;
  problems: { pointer: string; message: string; schemaPath: string; value?: unknown }[];
}

/**
 * Validate an answered body against the schema documented for its status and content type;
 * undefined when it matches or nothing is documented.
 */
export function schemaViolation(entry: Pick<SweepEntry, 'operation' | 'exchange'>, validator: SchemaValidator): SchemaViolation | 'unchecked' | undefined {
  const response = entry.exchange.response;
  if (!response) return 'unchecked';
  const documented = responseFor(entry.operation, response.status);
  const media = documented ? mediaFor(documented, response.mediaType) ?? (documented.content.length === 1 ? documented.content[0] : undefined) : undefined;
  const schema = media?.schema();
  if (!schema) return 'unchecked';
  if (response.json === undefined) {
    if (response.body.length === 0 && response.status === 204) return undefined;
    return { operation: entry.operation.key, status: response.status, pointer: '', problems: [{ pointer: '', message: response.jsonError ? `body is not valid JSON: ${response.jsonError}` : `body is not JSON (${response.mediaType ?? 'no content type'})`, schemaPath: '#' }] };
  }
  const problems = validator.validate(schema, response.json);
  if (problems.length === 0) return undefined;
  return {
    operation: entry.operation.key,
    status: response.status,
    pointer: problems[0]!.pointer,
    problems: problems.map((problem) => ({ ...problem, value: excerpt(getPointer(response.json, problem.pointer)) })),
  };
}

/** `api.endpoints.response-schema`: bodies validate against the documented schema (ajv, formats on). */
export function responseSchemaCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.endpoints.response-schema',
    title: 'Response bodies match their documented schema',
    checklist: ['integration.api.endpoint.check-response-formats', 'test-setup.api.response-schema-validated', 'integration.api.data-flow.verify-data-formats'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const sweep = await context.resources.sweep(context);
      const violations: (SchemaViolation & { entry: SweepEntry })[] = [];
      let checked = 0;
      for (const entry of sweep.entries) {
        const result = schemaViolation(entry, context.resources.validator);
        if (result === 'unchecked') continue;
        checked += 1;
        if (result) violations.push({ ...result, entry });
      }
      const evidence = {
        violations: capped(violations.map(({ entry, ...violation }) => ({ ...violation, ...describeExchange(entry.exchange, context.redact) }))),
      };
      if (violations.length > 0) {
        const names = violations.map((violation) => `${violation.operation} ${violation.status} at ${violation.pointer || '/'} (${violation.problems[0]!.message})`);
        return { status: 'fail', summary: `${violations.length} of ${checked} bodies do not match their schema: ${listed(names, 2)}`, evidence };
      }
      if (checked === 0) return { status: 'warn', summary: `no answered body had a documented schema to check${coverageNote(sweep)}`, evidence };
      return { status: cutShort(sweep) ? 'warn' : 'pass', summary: `${plural(checked, 'body')} matched their documented schemas${coverageNote(sweep)}`, evidence };
    },
  };
}

function excerpt(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return text.length > 200 ? `${text.slice(0, 200)}…` : value;
}
