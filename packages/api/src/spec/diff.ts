import type { JsonSchema } from './json-schema.ts';
import type { ApiSpec, Operation, Parameter } from './operations.ts';
import { resolveLocal, typesOf } from './samples.ts';

/** One difference between two spec versions that matters to clients. */
export interface Change {
  /** `error`: existing clients break; `warning`: they may; `info`: they will not. */
  level: 'error' | 'warning' | 'info';
  operation: string;
  /** A stable rule name (`removed-operation`, `response-property-removed`, …). */
  rule: string;
  message: string;
}

const MAX_DEPTH = 6;

/**
 * Changes from `previous` to `current` that break clients written against `previous`:
 * removed operations, new required inputs, narrowed request values, removed or retyped
 * response fields, newly required auth. Follows `$ref`s, `allOf` and nested objects.
 */
export function diffSpecs(previous: ApiSpec, current: ApiSpec): Change[] {
  const changes: Change[] = [];
  const now = new Map(current.operations.map((operation) => [operation.key, operation]));
  for (const before of previous.operations) {
    const after = now.get(before.key);
    if (!after) {
      changes.push({ level: 'error', operation: before.key, rule: 'removed-operation', message: `${before.key} was removed` });
      continue;
    }
    changes.push(...parameterChanges(before, after), ...bodyChanges(before, after), ...responseChanges(before, after));
    if (!before.secured && after.secured) changes.push({ level: 'error', operation: before.key, rule: 'security-added', message: 'now requires credentials' });
  }
  return changes;
}

function parameterChanges(before: Operation, after: Operation): Change[] {
  const out: Change[] = [];
  const key = (parameter: Parameter) => `${parameter.in}:${parameter.name}`;
  const old = new Map(before.parameters.map((parameter) => [key(parameter), parameter]));
  for (const parameter of after.parameters) {
    const previous = old.get(key(parameter));
    const where = `${parameter.in} parameter "${parameter.name}"`;
    if (!previous) {
      if (parameter.required) out.push({ level: 'error', operation: before.key, rule: 'new-required-parameter', message: `new required ${where}` });
      continue;
    }
    if (parameter.required && !previous.required) out.push({ level: 'error', operation: before.key, rule: 'parameter-became-required', message: `${where} is now required` });
    if (previous.schema && parameter.schema) out.push(...schemaChanges(previous.schema, parameter.schema, 'request', before.key, where));
  }
  for (const [name, parameter] of old) {
    if (!after.parameters.some((candidate) => key(candidate) === name)) out.push({ level: 'warning', operation: before.key, rule: 'parameter-removed', message: `${parameter.in} parameter "${parameter.name}" was removed (clients still send it)` });
  }
  return out;
}

function bodyChanges(before: Operation, after: Operation): Change[] {
  if (!after.body) return [];
  if (!before.body) return after.body.required ? [{ level: 'error', operation: before.key, rule: 'new-required-body', message: 'now requires a request body' }] : [];
  const out: Change[] = [];
  if (after.body.required && !before.body.required) out.push({ level: 'error', operation: before.key, rule: 'body-became-required', message: 'the request body is now required' });
  const old = before.body.content.find((media) => media.schema());
  const now = after.body.content.find((media) => media.mediaType === old?.mediaType);
  if (old && !now) out.push({ level: 'error', operation: before.key, rule: 'request-media-type-removed', message: `no longer accepts ${old.mediaType}` });
  const oldSchema = old?.schema();
  const newSchema = now?.schema();
  if (oldSchema && newSchema) out.push(...schemaChanges(oldSchema, newSchema, 'request', before.key, 'request body'));
  return out;
}

function responseChanges(before: Operation, after: Operation): Change[] {
  const out: Change[] = [];
  for (const response of before.responses.filter((candidate) => /^2/.test(candidate.status))) {
    const now = after.responses.find((candidate) => candidate.status === response.status);
    if (!now) {
      out.push({ level: 'warning', operation: before.key, rule: 'success-status-removed', message: `no longer documents ${response.status}` });
      continue;
    }
    for (const media of response.content) {
      const match = now.content.find((candidate) => candidate.mediaType === media.mediaType);
      if (!match) {
        out.push({ level: 'error', operation: before.key, rule: 'response-media-type-removed', message: `${response.status} no longer answers ${media.mediaType}` });
        continue;
      }
      const oldSchema = media.schema();
      const newSchema = match.schema();
      if (oldSchema && newSchema) out.push(...schemaChanges(oldSchema, newSchema, 'response', before.key, `${response.status} response`));
    }
  }
  return out;
}

/**
 * Compare two converted schemas in one direction: for requests a change is breaking when it
 * refuses what was accepted; for responses when it answers what clients did not expect.
 */
export function schemaChanges(before: JsonSchema, after: JsonSchema, direction: 'request' | 'response', operation: string, where: string): Change[] {
  const out: Change[] = [];
  const walk = (old: JsonSchema, now: JsonSchema, path: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    const a = flatten(resolveLocal(old, before), before);
    const b = flatten(resolveLocal(now, after), after);
    const at = `${where}${path ? ` ${path}` : ''}`;
    const typesA = typesOf(a).filter((type) => type !== 'null');
    const typesB = typesOf(b).filter((type) => type !== 'null');
    const widen = (x: string[], y: string[]) => y.filter((type) => !x.includes(type) && !(type === 'number' && x.includes('integer')) && !(type === 'integer' && x.includes('number')));
    if (typesA.length && typesB.length) {
      const changed = direction === 'request' ? widen(typesB, typesA) : widen(typesA, typesB);
      if (changed.length > 0) {
        out.push({ level: 'error', operation, rule: 'type-changed', message: `${at} changed type from ${typesA.join('|')} to ${typesB.join('|')}` });
        return;
      }
    }
    if (direction === 'response' && !typesOf(a).includes('null') && typesOf(b).includes('null') && typesA.length) {
      out.push({ level: 'warning', operation, rule: 'response-became-nullable', message: `${at} may now be null` });
    }
    if (Array.isArray(a.enum) && Array.isArray(b.enum)) {
      const oldValues = a.enum as unknown[];
      const newValues = b.enum as unknown[];
      const removed = oldValues.filter((value) => !newValues.includes(value));
      const added = newValues.filter((value) => !oldValues.includes(value));
      if (direction === 'request' && removed.length) out.push({ level: 'error', operation, rule: 'request-enum-narrowed', message: `${at} no longer accepts ${removed.map((value) => JSON.stringify(value)).join(', ')}` });
      if (direction === 'response' && added.length) out.push({ level: 'warning', operation, rule: 'response-enum-widened', message: `${at} may now be ${added.map((value) => JSON.stringify(value)).join(', ')}` });
    }
    if (direction === 'request') {
      for (const [bound, tighter] of [['maxLength', (x: number, y: number) => y < x], ['maximum', (x: number, y: number) => y < x], ['minLength', (x: number, y: number) => y > x], ['minimum', (x: number, y: number) => y > x]] as const) {
        const x = a[bound];
        const y = b[bound];
        if (typeof y === 'number' && (typeof x !== 'number' || tighter(x, y))) out.push({ level: 'error', operation, rule: 'request-bound-narrowed', message: `${at} ${bound} narrowed from ${x ?? 'none'} to ${y}` });
      }
    }
    const propsA = (a.properties ?? {}) as Record<string, JsonSchema>;
    const propsB = (b.properties ?? {}) as Record<string, JsonSchema>;
    const requiredA = new Set((a.required as string[] | undefined) ?? []);
    const requiredB = new Set((b.required as string[] | undefined) ?? []);
    if (direction === 'request') {
      for (const name of requiredB) {
        if (requiredA.has(name)) continue;
        const property = resolveLocal(propsB[name], after);
        if (property.default !== undefined) out.push({ level: 'info', operation, rule: 'new-required-property-with-default', message: `${at} "${name}" is now required but has a default` });
        else out.push({ level: 'error', operation, rule: 'new-required-property', message: `${at} now requires "${name}"` });
      }
      for (const name of Object.keys(propsA)) if (!(name in propsB) && b.additionalProperties === false) out.push({ level: 'error', operation, rule: 'request-property-removed', message: `${at} no longer accepts "${name}"` });
    } else {
      for (const name of Object.keys(propsA)) {
        if (!(name in propsB)) out.push({ level: 'error', operation, rule: 'response-property-removed', message: `${at} no longer has "${name}"` });
        else if (requiredA.has(name) && !requiredB.has(name)) out.push({ level: 'error', operation, rule: 'response-property-optional', message: `${at} "${name}" is no longer always present` });
      }
    }
    for (const [name, property] of Object.entries(propsA)) {
      if (propsB[name]) walk(property, propsB[name]!, `${path}/${name}`, depth + 1);
    }
    if (a.items && b.items && typeof a.items === 'object' && typeof b.items === 'object') walk(a.items as JsonSchema, b.items as JsonSchema, `${path}/[]`, depth + 1);
  };
  walk(before, after, '', 0);
  return out;
}

/** Merge `allOf` parts into one object schema (properties and required), so fields compare by name. */
function flatten(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!Array.isArray(schema.allOf)) return schema;
  const parts = (schema.allOf as JsonSchema[]).map((part) => flatten(resolveLocal(part, root), root));
  const { allOf: _parts, ...rest } = schema;
  return {
    type: 'object',
    ...rest,
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {}), rest.properties ?? {}),
    required: [...new Set([...parts.flatMap((part) => (part.required as string[] | undefined) ?? []), ...((rest.required as string[] | undefined) ?? [])])],
  };
}
