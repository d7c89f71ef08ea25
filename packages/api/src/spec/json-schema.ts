import { deref, resolveRef, type Documents, type Located } from './documents.ts';

/** A JSON Schema (2020-12) object. */
export type JsonSchema = Record<string, unknown>;

/**
 * `request`: what a client may send (readOnly properties left out);
 * `response`: what the server may answer (writeOnly properties not required).
 */
export type SchemaMode = 'request' | 'response';

interface Definition {
  key: string;
  schema: JsonSchema | boolean;
  deps: Set<string>;
}

/** Turns OpenAPI schemas into self-contained JSON Schemas. */
export interface SchemaConverter {
  /**
   * A self-contained JSON Schema 2020-12 for an OpenAPI schema node: 3.0's `nullable`,
   * boolean `exclusiveMinimum/Maximum` and ignored `$ref` siblings are translated, every
   * `$ref` (also into other files) becomes a local `#/$defs/…` reference, so recursive
   * schemas stay finite.
   */
  convert(located: Located, mode: SchemaMode): JsonSchema;
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMAS = ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];
const DROPPED = new Set(['$id', '$schema', '$anchor', '$dynamicAnchor', '$dynamicRef', 'discriminator', 'xml', 'externalDocs', 'nullable']);

/** A converter for one spec; converted `$ref` targets are shared across calls. */
export function createSchemaConverter(documents: Documents, openapiVersion: '3.0' | '3.1'): SchemaConverter {
  const legacy = openapiVersion === '3.0';
  const registries: Record<SchemaMode, Map<string, Definition>> = { request: new Map(), response: new Map() };
  const usedKeys: Record<SchemaMode, Set<string>> = { request: new Set(), response: new Set() };
  const cache: Record<SchemaMode, WeakMap<object, JsonSchema>> = { request: new WeakMap(), response: new WeakMap() };

  function convertNode(node: unknown, base: string, mode: SchemaMode, deps: Set<string>): JsonSchema | boolean {
    if (typeof node === 'boolean') return node;
    if (!node || typeof node !== 'object' || Array.isArray(node)) return {};
    const input = node as Record<string, unknown>;
    if (typeof input.$ref === 'string') {
      const reference = { $ref: `#/$defs/${define(input.$ref, base, mode, deps)}` };
      const siblings = Object.keys(input).filter((key) => key !== '$ref' && !ANNOTATIONS.has(key));
      if (legacy || siblings.length === 0) return reference;
      const rest = convertNode(Object.fromEntries(siblings.map((key) => [key, input[key]])), base, mode, deps);
      return { allOf: [reference, rest] };
    }
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(input)) {
      if (DROPPED.has(key)) continue;
      if (SUBSCHEMA_MAPS.includes(key) && value && typeof value === 'object') {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, convertNode(inner, base, mode, deps)]));
      } else if (SUBSCHEMA_LISTS.includes(key) && Array.isArray(value)) {
        out[key] = value.map((inner) => convertNode(inner, base, mode, deps));
      } else if (SUBSCHEMAS.includes(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        out[key] = convertNode(value, base, mode, deps);
      } else if (SUBSCHEMAS.includes(key) && typeof value === 'boolean') {
        out[key] = value;
      } else {
        out[key] = value;
      }
    }
    if (legacy) legacyNumbers(input, out);
    applyAccessMode(input, out, mode, base);
    return input.nullable === true ? nullable(out) : out;
  }

  /** Register a `$ref` target as a definition (converted once per mode) and return its key. */
  function define(ref: string, base: string, mode: SchemaMode, deps: Set<string>): string {
    const target = resolveRef(documents, ref, base);
    const id = `${target.base}#${new URL(ref, base).hash.slice(1)}`;
    deps.add(id);
    const registry = registries[mode];
    const existing = registry.get(id);
    if (existing) return existing.key;
    const definition: Definition = { key: uniqueKey(id, usedKeys[mode]), schema: {}, deps: new Set() };
    registry.set(id, definition);   // before converting: a recursive schema finds itself here
    definition.schema = convertNode(target.node, target.base, mode, definition.deps);
    return definition.key;
  }

  /** Readonly properties are not sent; writeOnly ones are not answered. */
  function applyAccessMode(input: Record<string, unknown>, out: JsonSchema, mode: SchemaMode, base: string): void {
    const properties = input.properties as Record<string, unknown> | undefined;
    if (!properties || !Array.isArray(input.required)) return;
    const hidden = new Set(Object.entries(properties)
      .filter(([, schema]) => {
        const resolved = schema && typeof schema === 'object' ? safeDeref(schema, base) : undefined;
        return mode === 'request' ? resolved?.readOnly === true : resolved?.writeOnly === true;
      })
      .map(([name]) => name));
    if (hidden.size === 0) return;
    out.required = (input.required as string[]).filter((name) => !hidden.has(name));
    if (mode === 'request') {
      out.properties = Object.fromEntries(Object.entries(out.properties as JsonSchema).filter(([name]) => !hidden.has(name)));
    }
  }

  function safeDeref(schema: object, base: string): Record<string, unknown> | undefined {
    try {
      return deref(documents, { node: schema, base }).node;
    } catch {
      return undefined;
    }
  }

  function closure(deps: Set<string>, mode: SchemaMode): Record<string, JsonSchema | boolean> {
    const defs: Record<string, JsonSchema | boolean> = {};
    const stack = [...deps];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const definition = registries[mode].get(id);
      if (!definition) continue;
      defs[definition.key] = definition.schema;
      stack.push(...definition.deps);
    }
    return defs;
  }

  return {
    convert(located, mode) {
      const node = located.node;
      const cached = node && typeof node === 'object' ? cache[mode].get(node) : undefined;
      if (cached) return cached;
      const deps = new Set<string>();
      const converted = convertNode(node, located.base, mode, deps);
      const root: JsonSchema = typeof converted === 'boolean' ? (converted ? {} : { not: {} }) : { ...converted };
      if (deps.size > 0) root.$defs = { ...(root.$defs as JsonSchema | undefined), ...closure(deps, mode) };
      if (node && typeof node === 'object') cache[mode].set(node, root);
      return root;
    },
  };
}

const ANNOTATIONS = new Set(['description', 'summary', 'title', 'example', 'examples', 'deprecated', '$comment']);

/** 3.0: `exclusiveMinimum: true` + `minimum: 5` → `exclusiveMinimum: 5`. */
function legacyNumbers(input: Record<string, unknown>, out: JsonSchema): void {
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof input[flag] !== 'boolean') continue;
    delete out[flag];
    if (input[flag] === true && typeof input[bound] === 'number') {
      out[flag] = input[bound];
      delete out[bound];
    }
  }
}

/** 3.0 `nullable: true` in 2020-12 terms. */
function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string') {
    const out: JsonSchema = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
    return out;
  }
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

function uniqueKey(id: string, used: Set<string>): string {
  const last = id.split('/').pop() ?? 'schema';
  const stem = decodeURIComponent(last).replace(/~1/g, '_').replace(/[^A-Za-z0-9_.-]/g, '_') || 'schema';
  let key = stem;
  for (let n = 2; used.has(key); n++) key = `${stem}_${n}`;
  used.add(key);
  return key;
}
