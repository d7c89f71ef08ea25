import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { OPENAPI } from './openapi.ts';
import { badRequest } from './problem.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(OPENAPI, 'openapi');
const compiled = new Map<string, ValidateFunction>();

/** Check `value` against `#/components/schemas/<name>` of the OpenAPI document; a mismatch is a 400 naming each JSON pointer. */
export function validateBody(name: string, value: unknown): void {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
    compiled.set(name, validate);
  }
  if (validate(value)) return;
  const errors = (validate.errors ?? []).map((error) => ({
    pointer: error.instancePath || '/',
    message: error.keyword === 'additionalProperties'
      ? `has an unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`
      : error.message ?? 'is invalid',
  }));
  throw badRequest(`the body does not match ${name}: ${errors.map((error) => `${error.pointer} ${error.message}`).join('; ')}`, { errors });
}
