import type { SendOptions } from '../client/client.ts';
import { isJsonMediaType } from '../client/client.ts';
import type { Media, Operation, Parameter } from '../spec/operations.ts';
import type { JsonSchema } from '../spec/json-schema.ts';
import { sample } from '../spec/samples.ts';

/** One concrete request for an operation. */
export interface Case {
  operation: Operation;
  /** What the case tests, e.g. `positive`, `missing required "email"`. */
  label: string;
  send: SendOptions;
}

/** Where parameter values come from, in order of preference. */
export interface ValueSources {
  runId: string;
  /** The user's `parameters` option. */
  parameters: Record<string, string | number | boolean>;
  /** Values for this case only (a created resource's id), by parameter name. */
  overrides?: Record<string, string>;
}

/** Safe methods: the probe sends them without the `writes` permission. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request that should succeed: documented values, examples, or values generated from the schemas. */
export function positiveCase(operation: Operation, sources: ValueSources): Case {
  const declared = operation.declared;
  const send: SendOptions = {
    method: operation.method,
    path: fillPath(operation, sources),
    query: { ...declared?.query },
    headers: { accept: 'application/json, */*;q=0.5', ...declared?.headers },
  };
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path' || (!parameter.required && sources.parameters[parameter.name] === undefined)) continue;
    const value = String(parameterValue(parameter, sources));
    if (parameter.in === 'query') send.query![parameter.name] = value;
    if (parameter.in === 'header') send.headers![parameter.name.toLowerCase()] = value;
    if (parameter.in === 'cookie') send.headers!.cookie = `${parameter.name}=${value}`;
  }
  const body = declared?.body !== undefined ? declared.body : bodyOf(operation, sources.runId);
  if (body !== undefined) send.json = body;
  return { operation, label: 'positive', send };
}

/** The path with every placeholder filled (URL-encoded). */
export function fillPath(operation: Operation, sources: ValueSources): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const parameter = operation.parameters.find((candidate) => candidate.in === 'path' && candidate.name === name) ?? { name, in: 'path', required: true };
    return encodeURIComponent(String(parameterValue(parameter, sources)));
  });
}

/** A parameter's value: override, `parameters` option, example, schema example/default/enum, generated. */
export function parameterValue(parameter: Parameter, sources: ValueSources): string | number | boolean {
  const override = sources.overrides?.[parameter.name];
  if (override !== undefined) return override;
  const given = sources.parameters[parameter.name];
  if (given !== undefined) return given;
  if (isScalar(parameter.example)) return parameter.example;
  const generated = parameter.schema ? sample(parameter.schema, { runId: sources.runId }) : `probe-${sources.runId}`;
  return isScalar(generated) ? generated : `probe-${sources.runId}`;
}

/** The JSON media type of a request body (undefined when the operation takes none or no JSON). */
export function jsonBodyMedia(operation: Operation): Media | undefined {
  return operation.body?.content.find((media) => isJsonMediaType(media.mediaType));
}

/** A valid JSON body: the media example, or one generated from the schema. */
export function bodyOf(operation: Operation, runId: string): unknown {
  const media = jsonBodyMedia(operation);
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const schema: JsonSchema | undefined = media.schema();
  return schema ? sample(schema, { runId }) : {};
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
