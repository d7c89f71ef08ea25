import { randomUUID } from 'node:crypto';
import type { JsonSchema } from './json-schema.ts';

/** How a value is generated. */
export interface SampleOptions {
  /** Marks generated strings (`probe-<runId>`), so probe-made data is recognisable. */
  runId: string;
  /** Use `example`/`default` values of the schema when present (default true). */
  useExamples?: boolean;
  /** Include optional properties down to this depth (default 2). */
  optionalDepth?: number;
  /** Which `oneOf`/`anyOf` branch to take (default 0). */
  branch?: number;
}

const MAX_DEPTH = 8;

/** A value valid against `schema` (a converted schema; `#/$defs/…` refs resolve in `root`). */
export function sample(schema: JsonSchema | boolean | undefined, options: SampleOptions, root: JsonSchema | undefined = asObject(schema)): unknown {
  return generate(schema, root, options, 0);
}

/** Resolve a local `#/$defs/…` reference of a converted schema. */
export function resolveLocal(schema: JsonSchema | boolean | undefined, root: JsonSchema | undefined): JsonSchema {
  let current = asObject(schema) ?? {};
  for (let hop = 0; hop < 16 && typeof current.$ref === 'string'; hop++) {
    const key = current.$ref.replace(/^#\/\$defs\//, '');
    current = asObject((root?.$defs as Record<string, JsonSchema> | undefined)?.[key]) ?? {};
  }
  return current;
}

/** The types a schema allows, `null` last. */
export function typesOf(schema: JsonSchema): string[] {
  const declared = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (declared.length > 0) return [...declared].sort((a, b) => Number(a === 'null') - Number(b === 'null'));
  if (schema.properties || schema.required || schema.additionalProperties) return ['object'];
  if (schema.items || schema.prefixItems) return ['array'];
  if (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern || schema.format) return ['string'];
  if (schema.minimum !== undefined || schema.maximum !== undefined) return ['number'];
  return [];
}

function generate(input: JsonSchema | boolean | undefined, root: JsonSchema | undefined, options: SampleOptions, depth: number): unknown {
  const schema = resolveLocal(input, root);
  if (options.useExamples !== false) {
    if ('const' in schema) return schema.const;
    if (schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if (schema.default !== undefined) return schema.default;
  } else if ('const' in schema) {
    return schema.const;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.find((value) => value !== null) ?? schema.enum[0];
  if (Array.isArray(schema.allOf)) return mergeAll(schema, root, options, depth);
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const usable = branches.filter((branch) => !typesOf(resolveLocal(branch, root)).every((type) => type === 'null'));
    const pick = usable[(options.branch ?? 0) % Math.max(1, usable.length)] ?? branches[0];
    return generate(pick, root, { ...options, branch: 0 }, depth + 1);
  }
  const type = typesOf(schema)[0] ?? 'string';
  switch (type) {
    case 'object': return objectOf(schema, root, options, depth);
    case 'array': return arrayOf(schema, root, options, depth);
    case 'integer': return numberOf(schema, true);
    case 'number': return numberOf(schema, false);
    case 'boolean': return true;
    case 'null': return null;
    default: return stringOf(schema, options.runId);
  }
}

function mergeAll(schema: JsonSchema, root: JsonSchema | undefined, options: SampleOptions, depth: number): unknown {
  const { allOf, ...rest } = schema;
  const parts = [...(allOf as JsonSchema[]), ...(Object.keys(rest).length > 0 ? [rest] : [])];
  const values = parts.map((part) => generate(part, root, options, depth + 1));
  if (values.every((value) => value && typeof value === 'object' && !Array.isArray(value))) return Object.assign({}, ...values);
  return values.find((value) => value !== undefined);
}

function objectOf(schema: JsonSchema, root: JsonSchema | undefined, options: SampleOptions, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > MAX_DEPTH) return out;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const includeOptional = depth < (options.optionalDepth ?? 2);
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    if (!required.has(name) && !includeOptional) continue;
    const value = generate(property, root, options, depth + 1);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function arrayOf(schema: JsonSchema, root: JsonSchema | undefined, options: SampleOptions, depth: number): unknown[] {
  if (depth > MAX_DEPTH) return [];
  const prefix = (schema.prefixItems as JsonSchema[] | undefined) ?? [];
  const count = Math.max(prefix.length, typeof schema.minItems === 'number' ? schema.minItems : 1);
  const items: unknown[] = [];
  for (let index = 0; index < Math.min(count, 10); index++) {
    const item = generate(prefix[index] ?? (schema.items as JsonSchema | undefined), root, { ...options, branch: index }, depth + 1);
    items.push(schema.uniqueItems && typeof item === 'string' ? `${item}${index || ''}` : schema.uniqueItems && typeof item === 'number' ? item + index : item);
  }
  return items;
}

/** A number inside the schema's bounds (inclusive or exclusive) and a multiple of `multipleOf`. */
export function numberOf(schema: JsonSchema, integer: boolean): number {
  const step = typeof schema.multipleOf === 'number' ? schema.multipleOf : integer ? 1 : 0.5;
  const low = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : step) : typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const high = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : step) : typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = low ?? (high !== undefined ? Math.min(1, high) : 1);
  if (typeof schema.multipleOf === 'number') value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  if (integer) value = Math.ceil(value);
  return value;
}

const FORMATS: Record<string, (runId: string) => string> = {
  email: (runId) => `probe-${runId}@example.com`,
  'idn-email': (runId) => `probe-${runId}@example.com`,
  uuid: () => randomUUID(),
  'date-time': () => new Date().toISOString(),
  date: () => new Date().toISOString().slice(0, 10),
  time: () => '12:00:00Z',
  duration: () => 'PT1M',
  uri: (runId) => `https://example.com/probe/${runId}`,
  url: (runId) => `https://example.com/probe/${runId}`,
  'uri-reference': (runId) => `/probe/${runId}`,
  hostname: () => 'example.com',
  ipv4: () => '192.0.2.1',
  ipv6: () => '2001:db8::1',
  byte: () => 'cHJvYmU=',
  password: () => 'Probe-passw0rd!',
  regex: () => '^probe$',
};

/** A string honouring `format`, `pattern` (common shapes) and length bounds, marked with the run id. */
export function stringOf(schema: JsonSchema, runId: string): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format) return format(runId);
  if (typeof schema.pattern === 'string') {
    const match = matchingString(schema.pattern, runId, min, max);
    if (match !== undefined) return match;
  }
  return fit(`probe-${runId}`, min, max);
}

/** Pad or cut to fit length bounds. */
export function fit(text: string, min: number, max: number): string {
  let out = text;
  while (out.length < min) out += 'x';
  return out.length > max ? out.slice(0, max) : out;
}

function matchingString(pattern: string, runId: string, min: number, max: number): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const candidates = [`probe-${runId}`, `probe${runId}`, runId, 'probe', 'PROBE', 'Probe1', 'a', 'A', '1', '12345', 'abc-123', 'a1b2c3', 'ABC', 'abc'];
  for (const candidate of candidates) {
    const fitted = fit(candidate, min, max);
    if (regex.test(fitted)) return fitted;
  }
  return undefined;
}

function asObject(schema: JsonSchema | boolean | undefined): JsonSchema | undefined {
  return schema && typeof schema === 'object' ? schema : undefined;
}
