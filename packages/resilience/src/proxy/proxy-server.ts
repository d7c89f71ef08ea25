import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultProxy } from './fault-proxy.ts';
import { parseAddress } from './fault-proxy.ts';
import { createProxyRegistry, type ProxyConfig, type ProxyRegistry } from './registry.ts';
import { FaultProxyError } from './toxics.ts';

/** The Toxiproxy API version whose routes and JSON shapes this server speaks. */
export const TOXIPROXY_API_VERSION = '2.12.0';

/** Options of {@link startProxyServer}. */
export interface ProxyServerOptions {
  /** `host:port` of the HTTP control API (default `127.0.0.1:8474`, Toxiproxy's). Port 0 picks a free one. */
  api?: string;
  /** Proxies to create at start, as in Toxiproxy's `-config` file. */
  proxies?: ProxyConfig[];
}

/** A running fault-proxy server: proxies plus their Toxiproxy-compatible HTTP API. */
export interface ProxyServer {
  /** `http://host:port` of the control API. */
  readonly url: string;
  /** The proxies, for in-process control. */
  readonly registry: ProxyRegistry;
  /** Stop the API and every proxy (open connections are cut). */
  close(): Promise<void>;
}

/**
 * Start the fault-proxy server: what `probe proxy [--api HOST:PORT]` runs. Any Toxiproxy
 * client (Ruby, Go, toxiproxy-node-client, testcontainers' module) can drive it.
 */
export async function startProxyServer(options: ProxyServerOptions = {}): Promise<ProxyServer> {
  const registry = createProxyRegistry();
  const { host, port } = parseAddress(options.api ?? '127.0.0.1:8474', 'api');
  const server = createServer((request, response) => void handle(registry, request, response));
  server.requestTimeout = 25_000;   // Toxiproxy's own handler timeout
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host ?? '127.0.0.1', () => resolve());
  });
  try {
    if (options.proxies?.length) await registry.populate(options.proxies);
  } catch (error) {
    await closeServer(server, registry);
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${shown}:${address.port}`, registry, close: () => closeServer(server, registry) };
}

async function closeServer(server: Server, registry: ProxyRegistry): Promise<void> {
  await registry.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Toxiproxy's routes, one to one; plus `GET /proxies/{proxy}/stats` (this package's counters and timeline). */
async function handle(registry: ProxyRegistry, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    // Toxiproxy refuses browsers, so a web page cannot reconfigure proxies behind the user's back.
    if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) return text(response, 403, 'User agent not allowed\n');
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://api').pathname;
    const [, first, name, third, toxicName, ...rest] = path.split('/').map(decodeURIComponent);
    if (rest.length > 0) return text(response, 404, '404 page not found\n');
    const route = `${method} /${[first, name && ':proxy', third, toxicName && ':toxic'].filter(Boolean).join('/')}`;
    const proxy = () => registry.get(name!);
    switch (route) {
      case 'GET /version': return json(response, 200, { version: TOXIPROXY_API_VERSION }, 'application/json;charset=utf-8');
      case 'POST /reset': await registry.reset(); return empty(response);
      case 'GET /proxies': return json(response, 200, Object.fromEntries(registry.list().map((item) => [item.name, item.toJSON()])));
      case 'POST /proxies': return json(response, 201, (await registry.create(await body(request))).toJSON());
      case 'POST /populate': return populate(registry, await body(request), response);
      case 'GET /metrics': return text(response, 200, metrics(registry.list()), 'text/plain; version=0.0.4; charset=utf-8');
      case 'GET /proxies/:proxy': return json(response, 200, proxy().toJSON());
      case 'POST /proxies/:proxy':
      case 'PATCH /proxies/:proxy': {
        const target = proxy();
        const patch = objectBody(await body(request));
        await target.update({
          ...(typeof patch.listen === 'string' ? { listen: patch.listen } : {}),
          ...(typeof patch.upstream === 'string' ? { upstream: patch.upstream } : {}),
          ...(typeof patch.enabled === 'boolean' ? { enabled: patch.enabled } : {}),
        });
        return json(response, 200, target.toJSON());
      }
      case 'DELETE /proxies/:proxy': await registry.remove(name!); return empty(response);
      case 'GET /proxies/:proxy/toxics': return json(response, 200, proxy().toxics);
      case 'POST /proxies/:proxy/toxics': return json(response, 200, await proxy().addToxic(await body(request) as never));
      case 'GET /proxies/:proxy/stats': {
        const target = proxy();
        return json(response, 200, { stats: target.counters, timeline: target.timeline, faults: target.faults() });
      }
      case 'GET /proxies/:proxy/toxics/:toxic': {
        const found = proxy().toxics.find((item) => item.name === toxicName);
        if (!found) throw new FaultProxyError('toxic not found', 404);
        return json(response, 200, found);
      }
      case 'POST /proxies/:proxy/toxics/:toxic':
      case 'PATCH /proxies/:proxy/toxics/:toxic': return json(response, 200, await proxy().updateToxic(toxicName!, objectBody(await body(request))));
      case 'DELETE /proxies/:proxy/toxics/:toxic': await proxy().removeToxic(toxicName!); return empty(response);
      default: return KNOWN_PATHS.test(route.slice(route.indexOf(' ') + 1)) ? text(response, 405, '') : text(response, 404, '404 page not found\n');
    }
  } catch (error) {
    const status = error instanceof FaultProxyError ? error.status : 500;
    return json(response, status, { error: (error as Error).message, status });
  }
}

const KNOWN_PATHS = /^\/(version|reset|populate|metrics|proxies(\/:proxy(\/toxics(\/:toxic)?|\/stats)?)?)$/;

async function populate(registry: ProxyRegistry, input: unknown, response: ServerResponse): Promise<void> {
  try {
    const proxies = await registry.populate(input);
    return json(response, 201, { proxies: proxies.map((proxy) => proxy.toJSON()) });
  } catch (error) {
    const status = error instanceof FaultProxyError ? error.status : 500;
    return json(response, status, { error: (error as Error).message, status, proxies: [] });
  }
}

async function body(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_048_576) throw new FaultProxyError('bad request body: larger than 1 MiB', 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FaultProxyError(`bad request body: ${(error as Error).message}`);
  }
}

function objectBody(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FaultProxyError('bad request body: expected a JSON object');
  return value as Record<string, unknown>;
}

function json(response: ServerResponse, status: number, value: unknown, type = 'application/json'): void {
  response.writeHead(status, { 'content-type': type });
  response.end(JSON.stringify(value));
}

function text(response: ServerResponse, status: number, value: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': type });
  response.end(value);
}

function empty(response: ServerResponse): void {
  response.writeHead(204);
  response.end();
}

/** Toxiproxy's proxy metrics (`-proxy-metrics`), live rather than at connection close, plus connection counters. */
function metrics(proxies: FaultProxy[]): string {
  const lines: string[] = [];
  const family = (name: string, help: string, value: (proxy: FaultProxy, direction: 'upstream' | 'downstream') => number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const proxy of proxies) {
      for (const direction of ['upstream', 'downstream'] as const) {
        lines.push(`${name}{direction="${direction}",listener="${proxy.listen}",proxy="${escape(proxy.name)}",upstream="${proxy.upstream}"} ${value(proxy, direction)}`);
      }
    }
  };
  family('toxiproxy_proxy_received_bytes_total', 'The total bytes received on a given proxy link', (proxy, direction) => proxy.counters[direction].received);
  family('toxiproxy_proxy_sent_bytes_total', 'The total bytes sent on a given proxy link', (proxy, direction) => proxy.counters[direction].sent);
  lines.push('# HELP probe_proxy_connections_total Connections accepted by a proxy', '# TYPE probe_proxy_connections_total counter');
  for (const proxy of proxies) lines.push(`probe_proxy_connections_total{proxy="${escape(proxy.name)}"} ${proxy.counters.connections.total}`);
  lines.push('# HELP probe_proxy_connections_active Connections open through a proxy', '# TYPE probe_proxy_connections_active gauge');
  for (const proxy of proxies) lines.push(`probe_proxy_connections_active{proxy="${escape(proxy.name)}"} ${proxy.counters.connections.active}`);
  return `${lines.join('\n')}\n`;
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
