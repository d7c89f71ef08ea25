/** A small HTTP service that reads from Redis, to run experiments against: with or without a timeout, a fallback, a replica. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

function redis(address: string, commandTimeoutMs: number | undefined): Redis {
  const [host, port] = address.split(':') as [string, string];
  const client = new Redis({
    host, port: Number(port), maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50,
    ...(commandTimeoutMs === undefined ? {} : { commandTimeout: commandTimeoutMs }),
  });
  client.on('error', () => {});
  return client;
}

export async function startRedisService(options: {
  key: string;
  /** `host:port` of the primary (a proxy). */
  primary: string;
  /** `host:port` of a replica to fail over to. */
  secondary?: string;
  commandTimeoutMs?: number;
  /** Answer `{ source: 'fallback' }` when Redis fails (else 503). */
  fallback?: boolean;
}): Promise<{ url: string; close(): Promise<void> }> {
  const primary = redis(options.primary, options.commandTimeoutMs);
  const secondary = options.secondary ? redis(options.secondary, options.commandTimeoutMs) : undefined;
  const answer = (response: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const server = createServer(async (_request, response) => {
    try {
      return answer(response, 200, { source: 'redis', value: await primary.get(options.key) });
    } catch (error) {
      if (secondary) {
        try {
          return answer(response, 200, { source: 'replica', value: await secondary.get(options.key) });
        } catch { /* fall through */ }
      }
      if (options.fallback) return answer(response, 200, { source: 'fallback', value: null }, { 'x-fallback': 'default' });
      return answer(response, 503, { error: (error as Error).message }, { 'retry-after': '1' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await Promise.all([primary, secondary].map((client) => client && new Promise((resolve) => client.once('ready', resolve))));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/items`,
    async close() {
      primary.disconnect();
      secondary?.disconnect();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
