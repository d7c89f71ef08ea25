import { randomUUID } from 'node:crypto';
import type { SendOptions } from '../client/client.ts';
import { wrongType, invalidBodies } from '../spec/mutations.ts';
import type { Operation, Parameter } from '../spec/operations.ts';
import { typesOf } from '../spec/samples.ts';
import { jsonBodyMedia, type Case } from './build.ts';

/** What a negative case expects. */
export type Expectation =
  /** invalid input: any 4xx */
  | 'reject'
  /** an id nobody created: 404/410 (any 4xx passes) */
  | 'not-found'
  /** an undocumented method: 405 with an Allow header */
  | 'method';

/** A case that must be refused. */
export interface NegativeCase extends Case {
  expect: Expectation;
  /** The request writes if the API wrongly accepts it (so a 2xx may have created something). */
  writes: boolean;
}

/** Parameter-level negatives of any operation (safe to send: they change only the query/path). */
export function parameterNegatives(base: Case, runId: string): NegativeCase[] {
  const operation = base.operation;
  const writes = !['GET', 'HEAD', 'OPTIONS'].includes(operation.method);
  const out: NegativeCase[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in === 'query' && parameter.required) {
      const { [parameter.name]: _dropped, ...query } = base.send.query ?? {};
      out.push({ operation, label: `missing required query parameter "${parameter.name}"`, send: { ...base.send, query }, expect: 'reject', writes });
    }
    const wrong = parameter.schema ? wrongScalar(parameter) : undefined;
    if (wrong !== undefined && (parameter.in === 'query' || parameter.in === 'path')) {
      out.push({ operation, label: `${parameter.in} parameter "${parameter.name}" = ${JSON.stringify(wrong)}`, send: withParameter(base, parameter, wrong), expect: 'reject', writes });
    }
  }
  const last = lastPathParameter(operation);
  if (last && operation.method === 'GET' && !isNumeric(last)) {
    const missing = last.schema?.format === 'uuid' ? randomUUID() : `probe-${runId}-missing`;
    out.push({ operation, label: `unknown id ${missing}`, send: withParameter(base, last, missing), expect: 'not-found', writes: false });
  }
  return out;
}

/** Body-level negatives of a writing operation: malformed JSON and schema-violating bodies. */
export function bodyNegatives(base: Case, max: number): NegativeCase[] {
  const operation = base.operation;
  const media = jsonBodyMedia(operation);
  if (!media && base.send.json === undefined) return [];
  const headers = { ...base.send.headers, 'content-type': media?.mediaType ?? 'application/json' };
  const out: NegativeCase[] = [{
    operation, label: 'malformed JSON', send: { ...base.send, json: undefined, body: '{"probe": ', headers }, expect: 'reject', writes: true,
  }];
  const schema = media?.schema();
  if (schema) {
    for (const mutation of invalidBodies(schema, base.send.json, max)) {
      out.push({ operation, label: mutation.label, send: { ...base.send, json: mutation.value }, expect: 'reject', writes: true });
    }
  }
  return out;
}

/**
 * An undocumented method on an item path, with an id nobody created (so even a wrong
 * implementation touches nothing): it must answer 405 with `Allow`.
 */
export function methodNegative(operations: Operation[], operation: Operation, runId: string): NegativeCase | undefined {
  if (!operation.path.includes('{')) return undefined;
  const documented = new Set(operations.filter((candidate) => candidate.path === operation.path).map((candidate) => candidate.method));
  const method = ['DELETE', 'PATCH', 'PUT', 'POST'].find((candidate) => !documented.has(candidate));
  if (!method) return undefined;
  const path = operation.path.replace(/\{[^}]+\}/g, `probe-${runId}-missing`);
  const send: SendOptions = { method, path, headers: { accept: 'application/json' }, ...(method === 'DELETE' ? {} : { json: {} }) };
  return { operation: { ...operation, key: `${method} ${operation.path}`, method }, label: `undocumented method ${method}`, send, expect: 'method', writes: true };
}

function wrongScalar(parameter: Parameter): unknown {
  const schema = parameter.schema!;
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) return 'probe-not-in-enum';
  const types = typesOf(schema);
  if (types.includes('string') || types.length === 0) return undefined;   // anything is a string in a URL
  return wrongType(types);
}

function withParameter(base: Case, parameter: Parameter, value: unknown): SendOptions {
  if (parameter.in === 'query') return { ...base.send, query: { ...base.send.query, [parameter.name]: String(value) } };
  const segments = base.operation.path.split('/');
  const index = segments.indexOf(`{${parameter.name}}`);
  const actual = (base.send.path ?? '').split('/');
  if (index < 0 || actual.length !== segments.length) return base.send;
  actual[index] = encodeURIComponent(String(value));
  return { ...base.send, path: actual.join('/') };
}

function lastPathParameter(operation: Operation): Parameter | undefined {
  const match = /\{([^}]+)\}$/.exec(operation.path);
  if (!match) return undefined;
  return operation.parameters.find((parameter) => parameter.in === 'path' && parameter.name === match[1]) ?? { name: match[1]!, in: 'path', required: true };
}

function isNumeric(parameter: Parameter): boolean {
  const types = parameter.schema ? typesOf(parameter.schema) : [];
  return types.includes('integer') || types.includes('number');
}
