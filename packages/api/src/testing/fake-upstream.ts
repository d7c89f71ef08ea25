import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request the fake upstream received. */
export interface RecordedRequest {
  /** 1, 2, 3, … in arrival order. */
  id: number;
  /** Epoch ms when the request arrived. */
  at: number;
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  /** Header names in lower case, as Node parsed them. */
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text (`bytes` has it exactly). */
  body: string;
  bytes: Buffer;
  /** The parsed body when it is JSON. */
  json?: unknown;
  /** The route pattern that matched (`GET /users/:id`), undefined when none did. */
  route?: string;
  /** Values of the pattern's `:name` segments. */
  params: Record<string, string>;
  /** 1 for the first request to this route, 2 for the second, … (retries show up here). */
  attempt: number;
}

/** A scripted answer. */
export interface Reply {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string | string[]>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** What a step function gets: the recorded request, its attempt number, and the raw Node objects. */
export interface Call {
  request: RecordedRequest;
  attempt: number;
  /**
   * The raw request and response. A step that answers itself (a slow body, a reset with
   * `raw.req.socket.destroy()`) or never answers (a hang) returns undefined.
   */
  raw: { req: IncomingMessage; res: ServerResponse };
  /** Aborted when the client goes away or the upstream closes: stop slow writes then. */
  signal: AbortSignal;
  upstream: FakeUpstream;
}

/**
 * One step of a route's script: a fixed {@link Reply}, or a function of the {@link Call}
 * returning a Reply (or undefined after answering — or deliberately not answering — itself).
 */
export type Step = Reply | ((call: Call) => Reply | undefined | Promise<Reply | undefined>);

/**
 * A route's script. A single step answers every request; an array is played one step per
 * attempt, the last step repeating (`[{ status: 503 }, { status: 503 }, { status: 200 }]`
 * fails twice, then succeeds). Fault helpers (resets, hangs, slow bodies, 429s) are steps.
 */
export type RouteScript = Step | readonly Step[];

/** Options of {@link startFakeUpstream}. */
export interface FakeUpstreamOptions {
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Routes by pattern: `GET /users/:id`, `* /health` (any method), `POST /hooks/*` (any rest). */
  routes?: Record<string, RouteScript>;
  /** Serve https: at least `key` and `cert` (PEM); `minVersion`, `ciphers`, … pass through to Node. */
  tls?: HttpsServerOptions;
  /** Answer to requests no route matches (default 404 with the known routes). */
  unmatched?: Reply;
  /** Bodies are recorded up to this many bytes (default 1 MiB). */
  maxBodyBytes?: number;
}

/** A scripted HTTP server on 127.0.0.1 that records every request. */
export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` (https with `tls`). */
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Requests no route matched. */
  readonly unmatched: readonly RecordedRequest[];
  /** Add or replace a route (its attempt counter restarts). */
  route(pattern: string, script: RouteScript): FakeUpstream;
  /** Requests that matched a route pattern. */
  requestsTo(pattern: string): RecordedRequest[];
  /**
   * Wait until `count` requests match `filter` (a route pattern or predicate; default any),
   * up to `timeoutMs` (default 5 000); resolves with those seen so far either way.
   */
  waitFor(filter?: string | ((request: RecordedRequest) => boolean), options?: { count?: number; timeoutMs?: number; signal?: AbortSignal }): Promise<RecordedRequest[]>;
  /** Forget recorded requests and restart every attempt counter; routes stay. */
  reset(): void;
  /** Stop: open connections (hanging requests too) are closed. */
  close(): Promise<void>;
}

interface Route {
  pattern: string;
  method: string;
  regex: RegExp;
  names: string[];
  steps: readonly Step[];
  attempts: number;
}

/** Start a fake upstream. Close it in `afterAll`/`afterEach`. */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const unmatched: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const closing = new AbortController();
  const maxBody = options.maxBodyBytes ?? 1_048_576;
  let nextId = 1;

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const bytes = await readBody(req, maxBody);
    const url = new URL(req.url ?? '/', 'http://upstream');
    const method = (req.method ?? 'GET').toUpperCase();
    const match = findRoute(routes, method, url.pathname);
    const recorded: RecordedRequest = {
      id: nextId++, at: Date.now(), method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers,
      body: bytes.toString('utf8'), bytes, params: match?.params ?? {}, attempt: match ? ++match.route.attempts : 0,
      ...(match ? { route: match.route.pattern } : {}), ...jsonOf(bytes, req.headers['content-type']),
    };
    requests.push(recorded);
    if (!match) unmatched.push(recorded);
    for (const wake of waiters) wake();
    const controller = new AbortController();
    const abort = () => controller.abort();
    res.on('close', abort);
    closing.signal.addEventListener('abort', abort, { once: true });
    try {
      const step = match ? match.route.steps[Math.min(recorded.attempt, match.route.steps.length) - 1]! : options.unmatched ?? {
        status: 404, body: { error: 'no route', method, path: url.pathname, routes: routes.map((route) => route.pattern) },
      };
      const reply = typeof step === 'function' ? await step({ request: recorded, attempt: recorded.attempt, raw: { req, res }, signal: controller.signal, upstream }) : step;
      if (reply) await send(res, reply, controller.signal);
    } catch (error) {
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: { error: (error as Error).message } }, controller.signal).catch(() => {});
    } finally {
      closing.signal.removeEventListener('abort', abort);
    }
  };

  const server: Server = options.tls
    ? createHttpsServer(options.tls, (req, res) => void handler(req, res))
    : createHttpServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';

  const upstream: FakeUpstream = {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    unmatched,
    route(pattern, script) {
      const compiled = compileRoute(pattern, script);
      const index = routes.findIndex((route) => route.pattern === compiled.pattern);
      if (index >= 0) routes[index] = compiled;
      else routes.push(compiled);
      return upstream;
    },
    requestsTo(pattern) {
      return requests.filter((request) => request.route === normalise(pattern));
    },
    async waitFor(filter, waitOptions = {}) {
      const test = typeof filter === 'string' ? (request: RecordedRequest) => request.route === normalise(filter) : filter ?? (() => true);
      const count = waitOptions.count ?? 1;
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 5_000);
      for (;;) {
        const seen = requests.filter(test);
        if (seen.length >= count || Date.now() >= deadline || waitOptions.signal?.aborted || closing.signal.aborted) return seen;
        await new Promise<void>((resolve) => {
          const wake = () => { waiters.delete(wake); clearTimeout(timer); resolve(); };
          const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
          waiters.add(wake);
          waitOptions.signal?.addEventListener('abort', wake, { once: true });
        });
      }
    },
    reset() {
      requests.length = 0;
      unmatched.length = 0;
      for (const route of routes) route.attempts = 0;
    },
    async close() {
      closing.abort();
      for (const wake of waiters) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  for (const [pattern, script] of Object.entries(options.routes ?? {})) upstream.route(pattern, script);
  return upstream;
}

function compileRoute(pattern: string, script: RouteScript): Route {
  const normalised = normalise(pattern);
  const [method, path] = normalised.split(' ') as [string, string];
  const names: string[] = [];
  const source = path.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) {
      names.push(segment.slice(1));
      return '([^/]+)';
    }
    return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  const steps = Array.isArray(script) ? script : [script as Step];
  if (steps.length === 0) throw new Error(`route ${pattern}: a script needs at least one step`);
  return { pattern: normalised, method, regex: new RegExp(`^${source}/?$`), names, steps, attempts: 0 };
}

/** `/health` → `* /health`; `get /x` → `GET /x`. */
function normalise(pattern: string): string {
  const trimmed = pattern.trim();
  const [first, ...rest] = trimmed.split(/\s+/);
  return rest.length === 0 ? `* ${first}` : `${first!.toUpperCase()} ${rest.join(' ')}`;
}

function findRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== '*' && route.method !== method) continue;
    const match = route.regex.exec(path);
    if (!match) continue;
    return { route, params: Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)])) };
  }
  return undefined;
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    if (size < max) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks).subarray(0, max);
}

function jsonOf(bytes: Buffer, contentType: string | undefined): { json?: unknown } {
  if (bytes.length === 0 || !/json/i.test(contentType ?? '')) return {};
  try {
    return { json: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return {};
  }
}

async function send(res: ServerResponse, reply: Reply, signal: AbortSignal): Promise<void> {
  if (reply.delayMs) await sleep(reply.delayMs, undefined, { signal }).catch(() => {});
  if (signal.aborted || res.destroyed) return;
  const headers: Record<string, string | string[]> = { ...reply.headers };
  let body: string | Buffer | undefined;
  if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) body = reply.body;
  else if (reply.body !== undefined) {
    body = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(body);
}
