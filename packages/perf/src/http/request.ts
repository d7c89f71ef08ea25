/** HTTP requests as the load sends them: specs, their HTTP/1.1 bytes, and the response expectations. */
import { ProbeError, ProbeErrorCode } from '@probe/core';

/** One request. Everything is optional: the load's `method`, `url` path, `headers` and `body` fill the gaps. */
export interface RequestSpec {
  method?: string;
  /** Path and query, e.g. `/orders?id=7`. */
  path?: string;
  headers?: Record<string, string>;
  /** A string or bytes as is; any other value is sent as JSON (with `content-type: application/json`). */
  body?: unknown;
}

/** A response, as a {@link ResponseCheck} sees it. */
export interface CheckedResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body (the first 1 MiB). */
  body: Buffer;
}

/** A predicate on each response: false counts the request as an error of kind `check`. */
export type ResponseCheck = (response: CheckedResponse) => boolean;

/** A request fully resolved: what a driver sends. */
export interface ResolvedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** The exact HTTP/1.1 bytes (for the raw-socket driver). */
  bytes: Buffer;
  /** HEAD: the response has no body whatever its headers say. */
  noBody: boolean;
}

/** Methods that change nothing on a well-behaved server (RFC 9110 safe methods). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_VALUE = /[\r\n\0]/;

/** Merge a spec over the defaults and encode it. Throws PROBE_ERR_CONFIG on a header or method that would break framing. */
export function resolveRequest(spec: RequestSpec, defaults: { method: string; path: string; host: string; headers: Record<string, string>; body?: unknown }): ResolvedRequest {
  const method = (spec.method ?? defaults.method).toUpperCase();
  const path = spec.path ?? defaults.path;
  if (!TOKEN.test(method)) throw configError(`method "${method}" is not an HTTP token`);
  if (!path.startsWith('/') || /[\s]/.test(path)) throw configError(`path "${path}" must start with / and contain no spaces (percent-encode them)`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...defaults.headers, ...(spec.headers ?? {}) })) {
    if (!TOKEN.test(name)) throw configError(`header name "${name}" is not an HTTP token`);
    if (FORBIDDEN_VALUE.test(String(value))) throw configError(`header ${name} contains a line break or NUL`);
    headers[name.toLowerCase()] = String(value);
  }
  const raw = spec.body !== undefined ? spec.body : defaults.body;
  let body: Buffer | undefined;
  if (raw !== undefined && raw !== null) {
    if (typeof raw === 'string') body = Buffer.from(raw);
    else if (raw instanceof Uint8Array) body = Buffer.from(raw);
    else {
      body = Buffer.from(JSON.stringify(raw));
      headers['content-type'] ??= 'application/json';
    }
  }
  if (body) headers['content-length'] = String(body.length);
  else delete headers['content-length'];
  delete headers['transfer-encoding'];
  const host = headers.host ?? defaults.host;
  delete headers.host;
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += '\r\n';
  const bytes = body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
  return { method, path, headers: { host, ...headers }, body, bytes, noBody: method === 'HEAD' };
}

/** A table of acceptable statuses (index = status code): a list, a predicate, or by default every status below 400. */
export function statusTable(expect: readonly number[] | ((status: number) => boolean) | undefined): Uint8Array {
  const table = new Uint8Array(1_000);
  for (let status = 0; status < table.length; status++) {
    const accepted = expect === undefined ? status >= 100 && status < 400 : Array.isArray(expect) ? expect.includes(status) : (expect as (s: number) => boolean)(status);
    table[status] = accepted ? 1 : 0;
  }
  return table;
}

/** Produces the request for each send: the same one every time, or one per iteration from a list or a function. */
export type RequestSource = (iteration: number) => ResolvedRequest;

function configError(message: string): ProbeError {
  return new ProbeError(ProbeErrorCode.CONFIG, message);
}
