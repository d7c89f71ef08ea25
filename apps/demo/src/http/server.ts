import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { authorize } from './access.ts';
import { readJson } from './body.ts';
import { Problem } from './problem.ts';
import { match, type Reply, type Route } from './router.ts';
import { validateBody } from './validate.ts';

export interface ServerOptions {
  routes: readonly Route[];
  jwtSecret: string;
  badJsonIs500: boolean;
  log: Logger;
}

/** The HTTP server: route, authorize, read and validate the body, answer JSON or problem+json. */
export function createHttpServer(options: ServerOptions): Server {
  return createServer((request, response) => {
    handle(request, options).then(
      (reply) => send(response, reply),
      (error: unknown) => {
        const problem = error instanceof Problem ? error : new Problem(500, 'Internal Server Error', 'something went wrong; the service log has the details');
        if (!(error instanceof Problem)) options.log.error(`${request.method} ${request.url} failed: ${(error as Error).stack ?? String(error)}`);
        const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
        if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="demo"';
        if (problem.status === 405) headers.allow = String(problem.extra.allow);
        send(response, { status: problem.status, body: problem.toJSON(request.url ?? '/'), headers });
      },
    );
  });
}

async function handle(request: IncomingMessage, options: ServerOptions): Promise<Reply> {
  const url = new URL(request.url ?? '/', 'http://demo');
  const method = request.method ?? 'GET';
  const found = match(options.routes, method === 'HEAD' ? 'GET' : method, url.pathname);
  if (!found) throw new Problem(404, 'Not Found', `no route ${url.pathname}`);
  if ('allow' in found) throw new Problem(405, 'Method Not Allowed', `${method} is not allowed on ${url.pathname}`, { allow: found.allow.join(', ') });
  const { route, params } = found;
  const principal = authorize(route.access, request.headers.authorization, options.jwtSecret);
  let body: unknown;
  if (route.body) {
    body = await readJson(request, { badJsonIs500: options.badJsonIs500 });
    validateBody(route.body, body);
  }
  return route.handle({ method, path: url.pathname, params, query: url.searchParams, headers: request.headers, body, principal });
}

function send(response: ServerResponse, reply: Reply): void {
  const status = reply.status ?? 200;
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...reply.headers };
  if (reply.body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}
