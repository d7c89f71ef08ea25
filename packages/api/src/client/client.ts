import { Agent, request as undiciRequest } from 'undici';
import { ProbeError, ProbeErrorCode, messageOf, systemCode } from '@probe/core';
import { VERSION } from '../version.ts';

/** A request as the probe sends it (and as evidence shows it). */
export interface ApiRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  /** Raw body text (JSON is sent serialised). */
  body?: string;
}

/** A response, its body read up to the size bound. */
export interface ApiResponse {
  status: number;
  /** Header names in lower case; repeated headers (Set-Cookie) as arrays. */
  headers: Record<string, string | string[]>;
  body: string;
  /** The parsed body when the content type is JSON and it parses. */
  json?: unknown;
  /** Why a JSON content type did not parse. */
  jsonError?: string;
  /** The body was longer than `maxBodyBytes` and was cut. */
  truncated: boolean;
  /** The media type without parameters, lower case (`application/json`). */
  mediaType?: string;
}

/** One request and what came of it. */
export interface Exchange {
  request: ApiRequest;
  response?: ApiResponse;
  /** The request got no (complete) answer: reset, timeout, malformed response. */
  error?: string;
  /** Time to the response headers, ms. */
  ttfbMs: number;
  /** Time to the end of the body, ms. */
  durationMs: number;
}

/** What to send; `path` is relative to the base URL unless `url` is given. */
export interface SendOptions {
  method?: string;
  path?: string;
  url?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string | undefined>;
  /** A JSON value (serialised, `Content-Type: application/json`) … */
  json?: unknown;
  /** … or a raw body with the content type in `headers`. */
  body?: string;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  baseUrl: string;
  runId: string;
  headers?: Record<string, string>;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  maxBodyBytes: number;
  /** Extra CA certificates (PEM). */
  ca?: string | string[];
}

/** The probe's HTTP client: one undici Agent (a pool per origin) with bounded timeouts. */
export interface HttpClient {
  readonly baseUrl: string;
  /** Absolute URL of a path (relative to the base URL) with a query. */
  url(path: string, query?: SendOptions['query']): string;
  /**
   * Send one request. Resolves with an {@link Exchange} for every answer and for failures
   * after the connection was made; throws `PROBE_ERR_UNREACHABLE` when no connection can be
   * made at all, and the abort reason when `signal` aborts.
   */
  send(options: SendOptions, signal: AbortSignal): Promise<Exchange>;
  close(): Promise<void>;
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Create the client of one probe. Requests carry `User-Agent: probe/<version>` and `X-Probe-Run: <runId>`. */
export function createClient(options: ClientOptions): HttpClient {
  const agent = new Agent({
    connections: 16,
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.requestTimeoutMs,
    bodyTimeout: options.requestTimeoutMs,
    connect: options.ca ? { ca: options.ca } : undefined,
  });
  // Query parameters of the base URL (`?api_key=…`) go on every request; its user:password becomes Basic auth.
  const parsed = new URL(options.baseUrl);
  const baseQuery = [...parsed.searchParams];
  const userinfo = parsed.username ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}` : undefined;
  parsed.search = '';
  parsed.username = '';
  parsed.password = '';
  const base = parsed.href.replace(/\/$/, '');
  const fixed: Record<string, string> = {
    'user-agent': `probe/${VERSION}`, 'x-probe-run': options.runId, ...(userinfo ? { authorization: userinfo } : {}), ...lowerKeys(options.headers ?? {}),
  };

  const url = (path: string, query?: SendOptions['query']): string => {
    const absolute = /^https?:\/\//i.test(path);
    const target = new URL(absolute ? path : `${base}${path.startsWith('/') ? '' : '/'}${path}`);
    if (!absolute) for (const [key, value] of baseQuery) target.searchParams.append(key, value);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.append(key, String(value));
    return target.toString();
  };

  return {
    baseUrl: base,
    url,
    async send(send, signal) {
      const headers: Record<string, string> = { ...fixed };
      for (const [key, value] of Object.entries(send.headers ?? {})) if (value !== undefined) headers[key.toLowerCase()] = value;
      let body = send.body;
      if (send.json !== undefined) {
        body = JSON.stringify(send.json);
        headers['content-type'] ??= 'application/json';
      }
      const request: ApiRequest = { method: (send.method ?? 'GET').toUpperCase(), url: send.url ?? url(send.path ?? '/', send.query), headers, ...(body !== undefined ? { body } : {}) };
      const started = performance.now();
      let ttfbMs = 0;
      try {
        const answer = await undiciRequest(request.url, { dispatcher: agent, method: request.method, headers, body, signal });
        ttfbMs = performance.now() - started;
        const { text, truncated } = await readBounded(answer.body, options.maxBodyBytes);
        const response = toResponse(answer.statusCode, answer.headers, text, truncated);
        return { request, response, ttfbMs, durationMs: performance.now() - started };
      } catch (error) {
        if (signal.aborted) throw signal.reason ?? error;
        const code = systemCode(error);
        if (code && CONNECT_FAILURES.has(code)) {
          throw new ProbeError(ProbeErrorCode.UNREACHABLE, `${request.method} ${new URL(request.url).origin}: ${messageOf(error)} (${code})`, {
            cause: error, hint: 'check that the API is running and the base URL is right',
          });
        }
        return { request, error: `${code ? `${code}: ` : ''}${messageOf(error)}`, ttfbMs, durationMs: performance.now() - started };
      }
    },
    async close() {
      await agent.close().catch(() => agent.destroy());
    },
  };
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

function toResponse(status: number, raw: Record<string, string | string[] | undefined>, body: string, truncated: boolean): ApiResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(raw)) if (value !== undefined) headers[key.toLowerCase()] = value;
  const contentType = headerValue(headers, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  const response: ApiResponse = { status, headers, body, truncated, ...(mediaType ? { mediaType } : {}) };
  if (mediaType && isJsonMediaType(mediaType) && body.length > 0 && !truncated) {
    try {
      response.json = JSON.parse(body);
    } catch (error) {
      response.jsonError = messageOf(error);
    }
  }
  return response;
}

/** `application/json`, `application/problem+json`, `application/vnd.x+json`. */
export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(.+\+)?json$/.test(mediaType) || mediaType === 'text/json';
}

/** The first value of a header (lower-case name). */
export function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
