import type { JsonSchema } from './json-schema.ts';
import { spread } from '../cases/limit.ts';
import { fit, resolveLocal, typesOf } from './samples.ts';

/** A changed value and whether the API should accept it. */
export interface Mutation {
  /** What was changed: `missing required "email"`, `"age" = 151 (maximum 150)`. */
  label: string;
  value: unknown;
  /** True for boundary values the schema allows, false for violations. */
  valid: boolean;
}

/** A value of the wrong JSON type for a schema that allows `types`. */
export function wrongType(types: string[]): unknown {
  if (types.includes('string')) return types.includes('number') || types.includes('integer') ? true : 12_345;
  if (types.includes('integer') || types.includes('number')) return 'probe-not-a-number';
  if (types.includes('boolean')) return 'probe-not-a-boolean';
  if (types.includes('array') || types.includes('object')) return 'probe-not-a-structure';
  return undefined;
}

/**
 * Bodies that violate the schema, derived from a valid body: wrong top-level type, each
 * required property missing, each property of the wrong type, each constraint just broken.
 */
export function invalidBodies(schema: JsonSchema, valid: unknown, max: number): Mutation[] {
  const root = resolveLocal(schema, schema);
  const out: Mutation[] = [];
  const types = typesOf(root);
  if (types.includes('object') && !types.includes('array')) out.push({ label: 'an array where an object is expected', value: [valid], valid: false });
  if (!isRecord(valid)) return out.slice(0, max);
  for (const name of (root.required as string[] | undefined) ?? []) {
    if (!(name in valid)) continue;
    const { [name]: _dropped, ...rest } = valid;
    out.push({ label: `missing required "${name}"`, value: rest, valid: false });
  }
  for (const [name, property] of propertiesOf(root, schema)) {
    const wrong = wrongType(typesOf(property));
    if (wrong !== undefined && name in valid) out.push({ label: `"${name}" of the wrong type (${JSON.stringify(wrong)})`, value: { ...valid, [name]: wrong }, valid: false });
    for (const broken of brokenConstraints(property)) out.push({ label: `"${name}" = ${short(broken.value)} (${broken.rule})`, value: { ...valid, [name]: broken.value }, valid: false });
  }
  if (root.additionalProperties === false) out.push({ label: 'an undocumented property (additionalProperties: false)', value: { ...valid, probe_unexpected: 1 }, valid: false });
  return spread(out, max);
}

/** Bodies at the edges the schema allows: min/max length, min/max value, every enum value. */
export function boundaryBodies(schema: JsonSchema, valid: unknown, max: number): Mutation[] {
  const root = resolveLocal(schema, schema);
  if (!isRecord(valid)) return [];
  const out: Mutation[] = [];
  for (const [name, property] of propertiesOf(root, schema)) {
    for (const edge of edges(property, String(valid[name] ?? 'probe'))) {
      out.push({ label: `"${name}" = ${short(edge.value)} (${edge.rule})`, value: { ...valid, [name]: edge.value }, valid: true });
    }
  }
  return spread(out, max);
}

function edges(schema: JsonSchema, seed: string): { value: unknown; rule: string }[] {
  const out: { value: unknown; rule: string }[] = [];
  const types = typesOf(schema);
  if (Array.isArray(schema.enum)) {
    for (const value of schema.enum.slice(0, 5)) out.push({ value, rule: 'enum value' });
    return out;
  }
  if (types.includes('string') && !schema.format && !schema.pattern) {
    if (typeof schema.minLength === 'number') out.push({ value: fit(seed, schema.minLength, schema.minLength), rule: `minLength ${schema.minLength}` });
    if (typeof schema.maxLength === 'number' && schema.maxLength <= 10_000) out.push({ value: fit(seed, schema.maxLength, schema.maxLength), rule: `maxLength ${schema.maxLength}` });
  }
  if ((types.includes('integer') || types.includes('number')) && schema.multipleOf === undefined) {
    if (typeof schema.minimum === 'number') out.push({ value: schema.minimum, rule: `minimum ${schema.minimum}` });
    if (typeof schema.maximum === 'number') out.push({ value: schema.maximum, rule: `maximum ${schema.maximum}` });
  }
  return out;
}

function brokenConstraints(schema: JsonSchema): { value: unknown; rule: string }[] {
  const out: { value: unknown; rule: string }[] = [];
  const types = typesOf(schema);
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) {
    out.push({ value: 'probe-not-in-enum', rule: 'not in enum' });
  }
  if (types.includes('string')) {
    if (typeof schema.maxLength === 'number' && schema.maxLength < 10_000) out.push({ value: 'x'.repeat(schema.maxLength + 1), rule: `maxLength ${schema.maxLength}` });
    if (typeof schema.minLength === 'number' && schema.minLength > 0) out.push({ value: 'x'.repeat(schema.minLength - 1), rule: `minLength ${schema.minLength}` });
    if (schema.format === 'email' || schema.format === 'uuid' || schema.format === 'date-time' || schema.format === 'date') {
      out.push({ value: 'probe-not-a-' + schema.format, rule: `format ${schema.format}` });
    }
  }
  if (types.includes('integer') || types.includes('number')) {
    if (typeof schema.minimum === 'number') out.push({ value: schema.minimum - 1, rule: `minimum ${schema.minimum}` });
    if (typeof schema.maximum === 'number') out.push({ value: schema.maximum + 1, rule: `maximum ${schema.maximum}` });
    if (typeof schema.exclusiveMinimum === 'number') out.push({ value: schema.exclusiveMinimum, rule: `exclusiveMinimum ${schema.exclusiveMinimum}` });
    if (typeof schema.exclusiveMaximum === 'number') out.push({ value: schema.exclusiveMaximum, rule: `exclusiveMaximum ${schema.exclusiveMaximum}` });
  }
  return out;
}

/** An object schema's properties (its own and those of its `allOf` parts), each resolved against `root`. */
export function propertiesOf(schema: JsonSchema, root: JsonSchema): [string, JsonSchema][] {
  const own = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>);
  const merged = Array.isArray(schema.allOf)
    ? (schema.allOf as JsonSchema[]).flatMap((part) => Object.entries((resolveLocal(part, root).properties ?? {}) as Record<string, JsonSchema>))
    : [];
  return [...merged, ...own].map(([name, property]) => [name, resolveLocal(property, root)]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 24 ? `${text.slice(0, 21)}…"` : text;
}
