import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { JsonSchema } from './json-schema.ts';

/** One validation problem: where in the body (a JSON pointer) and what is wrong. */
export interface SchemaProblem {
  /** JSON pointer into the validated value (`/items/0/email`; `` for the root). */
  pointer: string;
  message: string;
  /** Where in the schema the rule is (`#/properties/email/format`). */
  schemaPath: string;
}

/** Validates values against converted schemas; compiled validators are cached per schema object. */
export interface SchemaValidator {
  /** Problems of `value` against `schema` (empty when valid); at most `max` (default 10). */
  validate(schema: JsonSchema, value: unknown, max?: number): SchemaProblem[];
}

type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as unknown as FormatsPlugin;

const INT32 = { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 } as const;
const INT64 = { type: 'number', validate: (value: number) => Number.isInteger(value) } as const;
const ANY_NUMBER = { type: 'number', validate: () => true } as const;

/** A 2020-12 validator with ajv-formats plus OpenAPI's own formats (int32, int64, float, double, byte, binary, password). */
export function createValidator(): SchemaValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: false, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addFormat('int32', INT32);
  ajv.addFormat('int64', INT64);
  ajv.addFormat('float', ANY_NUMBER);
  ajv.addFormat('double', ANY_NUMBER);
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
  const compiled = new WeakMap<JsonSchema, ValidateFunction>();
  return {
    validate(schema, value, max = 10) {
      let validateFn = compiled.get(schema);
      if (!validateFn) {
        validateFn = ajv.compile(schema);
        compiled.set(schema, validateFn);
      }
      if (validateFn(value)) return [];
      return (validateFn.errors ?? []).slice(0, max).map(toProblem);
    },
  };
}

function toProblem(error: ErrorObject): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  const detail = params.additionalProperty ? ` "${String(params.additionalProperty)}"`
    : params.allowedValues ? `: ${JSON.stringify(params.allowedValues).slice(0, 80)}` : '';
  return { pointer: error.instancePath, message: `${error.message ?? 'is invalid'}${detail}`, schemaPath: error.schemaPath };
}
