import { ProbeError, ProbeErrorCode } from '@probe/core';
import type { EndpointOptions } from '../types.ts';
import { deref, loadDocuments, type Documents, type Located, type LoadOptions } from './documents.ts';
import { createSchemaConverter, type JsonSchema, type SchemaConverter, type SchemaMode } from './json-schema.ts';

/** One parameter of an operation. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** Converted (request-mode) schema. */
  schema?: JsonSchema;
  example?: unknown;
}

/** One media type of a request body or response. */
export interface Media {
  mediaType: string;
  /** The converted schema, computed on first call. */
  schema(): JsonSchema | undefined;
  example?: unknown;
}

/** One documented response (`200`, `4XX`, `default`). */
export interface ResponseSpec {
  status: string;
  content: Media[];
  headers: { name: string; required: boolean; schema?: JsonSchema }[];
  /** OpenAPI links: name → target operationId and parameter expressions. */
  links: Record<string, { operationId?: string; parameters: Record<string, string> }>;
}

/** One operation: a method on a path, from the spec or declared. */
export interface Operation {
  /** `GET /users/{id}` */
  key: string;
  method: string;
  path: string;
  operationId?: string;
  parameters: Parameter[];
  body?: { required: boolean; content: Media[] };
  responses: ResponseSpec[];
  /** Requires credentials (the spec's `security`, or a declared endpoint's `secured`). */
  secured: boolean;
  /** Set for declared endpoints. */
  declared?: EndpointOptions;
}

/** A loaded spec, ready for case generation. */
export interface ApiSpec {
  version: '3.0' | '3.1';
  title: string;
  operations: Operation[];
  documents: Documents;
  converter: SchemaConverter;
  /** Convert any located schema node (webhook payloads, `#/components/...` pointers). */
  schemaAt(located: Located, mode: SchemaMode): JsonSchema;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Load a spec (with every referenced file) and list its operations. */
export async function loadSpec(source: string | Record<string, unknown>, options: LoadOptions = {}): Promise<ApiSpec> {
  return buildSpec(await loadDocuments(source, options));
}

/** List the operations of loaded documents. */
export function buildSpec(documents: Documents): ApiSpec {
  const root = documents.byUri.get(documents.root) as Record<string, unknown> | undefined;
  const declared = typeof root?.openapi === 'string' ? root.openapi : undefined;
  if (!declared || !/^3\.[01]\./.test(declared)) {
    const found = typeof root?.swagger === 'string' ? `Swagger ${root.swagger}` : declared ? `OpenAPI ${declared}` : 'no "openapi" field';
    throw new ProbeError(ProbeErrorCode.CONFIG, `expected an OpenAPI 3.0 or 3.1 document, got ${found}`, {
      hint: 'convert Swagger 2.0 documents to OpenAPI 3 first (e.g. with swagger2openapi)',
    });
  }
  const version = declared.startsWith('3.1') ? '3.1' : '3.0';
  const converter = createSchemaConverter(documents, version);
  const base = documents.root;
  const globalSecurity = Array.isArray(root!.security) ? (root!.security as Record<string, unknown>[]) : undefined;
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries((root!.paths ?? {}) as Record<string, unknown>)) {
    const item = deref(documents, { node: rawItem, base });
    const shared = (item.node.parameters as unknown[] | undefined) ?? [];
    for (const method of METHODS) {
      const raw = item.node[method] as Record<string, unknown> | undefined;
      if (!raw) continue;
      const parameters = mergeParameters(documents, converter, [...shared, ...((raw.parameters as unknown[]) ?? [])], item.base);
      const security = Array.isArray(raw.security) ? (raw.security as Record<string, unknown>[]) : globalSecurity;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        ...(typeof raw.operationId === 'string' ? { operationId: raw.operationId } : {}),
        parameters,
        ...bodyOf(documents, converter, raw.requestBody, item.base),
        responses: responsesOf(documents, converter, raw.responses, item.base),
        secured: !!security && security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0),
      });
    }
  }
  const info = (root!.info ?? {}) as { title?: string };
  return {
    version, title: info.title ?? 'API', operations, documents, converter,
    schemaAt: (located, mode) => converter.convert(located, mode),
  };
}

/** Operations for declared endpoints (no spec needed). */
export function declaredOperations(endpoints: EndpointOptions[], secured: boolean): Operation[] {
  return endpoints.map((endpoint) => {
    const method = (endpoint.method ?? 'GET').toUpperCase();
    const statuses = endpoint.status === undefined ? ['2XX', '3XX', '4XX'] : [endpoint.status].flat().map(String);
    const schema = endpoint.responseSchema as JsonSchema | undefined;
    const content: Media[] = endpoint.contentType || schema ? [{ mediaType: endpoint.contentType ?? 'application/json', schema: () => schema }] : [];
    return {
      key: `${method} ${endpoint.path}`,
      method,
      path: endpoint.path,
      parameters: [...endpoint.path.matchAll(/\{([^}]+)\}/g)].map((match) => ({ name: match[1]!, in: 'path' as const, required: true })),
      responses: statuses.map((status) => ({ status, content: /^2/.test(status) ? content : [], headers: [], links: {} })),
      secured: endpoint.secured ?? secured,
      declared: endpoint,
    };
  });
}

function mergeParameters(documents: Documents, converter: SchemaConverter, raw: unknown[], base: string): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const entry of raw) {
    const { node, base: at } = deref(documents, { node: entry, base });
    if (typeof node.name !== 'string' || typeof node.in !== 'string') continue;
    const schemaNode = node.schema ?? firstContentSchema(node.content);
    byKey.set(`${node.in}:${node.name}`, {
      name: node.name,
      in: node.in as Parameter['in'],
      required: node.required === true || node.in === 'path',
      ...(schemaNode ? { schema: converter.convert({ node: schemaNode, base: at }, 'request') } : {}),
      ...(node.example !== undefined ? { example: node.example } : exampleOf(documents, node.examples, at)),
    });
  }
  return [...byKey.values()];
}

function bodyOf(documents: Documents, converter: SchemaConverter, raw: unknown, base: string): { body?: Operation['body'] } {
  if (!raw) return {};
  const { node, base: at } = deref(documents, { node: raw, base });
  return { body: { required: node.required === true, content: mediaOf(documents, converter, node.content, at, 'request') } };
}

function responsesOf(documents: Documents, converter: SchemaConverter, raw: unknown, base: string): ResponseSpec[] {
  const out: ResponseSpec[] = [];
  for (const [status, entry] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const { node, base: at } = deref(documents, { node: entry, base });
    const headers = Object.entries((node.headers ?? {}) as Record<string, unknown>).map(([name, header]) => {
      const resolved = deref(documents, { node: header, base: at });
      const schemaNode = resolved.node.schema;
      return {
        name: name.toLowerCase(),
        required: resolved.node.required === true,
        ...(schemaNode ? { schema: converter.convert({ node: schemaNode, base: resolved.base }, 'response') } : {}),
      };
    });
    const links: ResponseSpec['links'] = {};
    for (const [name, link] of Object.entries((node.links ?? {}) as Record<string, unknown>)) {
      const resolved = deref(documents, { node: link, base: at }).node;
      links[name] = {
        ...(typeof resolved.operationId === 'string' ? { operationId: resolved.operationId } : {}),
        parameters: (resolved.parameters ?? {}) as Record<string, string>,
      };
    }
    out.push({ status: status.toUpperCase(), content: mediaOf(documents, converter, node.content, at, 'response'), headers, links });
  }
  return out;
}

function mediaOf(documents: Documents, converter: SchemaConverter, content: unknown, base: string, mode: SchemaMode): Media[] {
  return Object.entries((content ?? {}) as Record<string, Record<string, unknown>>).map(([mediaType, media]) => {
    let converted: JsonSchema | undefined;
    const schemaNode = media?.schema;
    return {
      mediaType: mediaType.toLowerCase(),
      schema: () => (schemaNode === undefined ? undefined : (converted ??= converter.convert({ node: schemaNode, base }, mode))),
      ...(media?.example !== undefined ? { example: media.example } : exampleOf(documents, media?.examples, base)),
    };
  });
}

function exampleOf(documents: Documents, examples: unknown, base: string): { example?: unknown } {
  const first = examples && typeof examples === 'object' ? Object.values(examples)[0] : undefined;
  if (!first) return {};
  const resolved = deref(documents, { node: first, base }).node as { value?: unknown };
  return resolved.value !== undefined ? { example: resolved.value } : {};
}

function firstContentSchema(content: unknown): unknown {
  const first = content && typeof content === 'object' ? Object.values(content)[0] : undefined;
  return (first as { schema?: unknown } | undefined)?.schema;
}

/** The documented response for a status: the exact code, then its range (`4XX`), then `default`. */
export function responseFor(operation: Operation, status: number): ResponseSpec | undefined {
  const code = String(status);
  return operation.responses.find((response) => response.status === code)
    ?? operation.responses.find((response) => response.status === `${code[0]}XX`)
    ?? operation.responses.find((response) => response.status === 'DEFAULT');
}

/** The documented media of a response matching a media type (exact, then `type/*`, then `*\/*`). */
export function mediaFor(response: ResponseSpec, mediaType: string | undefined): Media | undefined {
  if (!mediaType) return undefined;
  const [type] = mediaType.split('/');
  return response.content.find((media) => media.mediaType === mediaType)
    ?? response.content.find((media) => media.mediaType === `${type}/*`)
    ?? response.content.find((media) => media.mediaType === '*/*');
}

/** The operation with this `METHOD /path` key, or a bare one built from the key. */
export function findOperation(operations: Operation[], key: string): Operation {
  const [method, path] = key.split(' ') as [string, string];
  return operations.find((operation) => operation.key === `${method.toUpperCase()} ${path}`)
    ?? { key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, parameters: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({ name: match[1]!, in: 'path' as const, required: true })), responses: [], secured: true };
}
