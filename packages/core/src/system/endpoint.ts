import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';

/** Default port per URL scheme, for targets whose URL names none. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80, https: 443, ws: 80, wss: 443,
  postgres: 5432, postgresql: 5432, mysql: 3306, mariadb: 3306, mongodb: 27017,
  redis: 6379, rediss: 6379, memcached: 11211,
  kafka: 9092, amqp: 5672, amqps: 5671, nats: 4222, mqtt: 1883,
  grpc: 443, ldap: 389, smtp: 25,
};

/** Where a target listens. */
export interface Endpoint {
  host: string;
  port: number;
}

/**
 * Host and port of a target URL (`postgres://app:pw@db:5432/app` → db:5432,
 * `redis://[::1]` → ::1:6379). Throws an Error saying what is missing.
 */
export function endpointOf(url: string): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`expected a URL like postgres://host:5432/db, got ${JSON.stringify(url)}`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new Error(`expected a URL with a host, got ${JSON.stringify(url)}`);
  const scheme = parsed.protocol.slice(0, -1);
  const port = parsed.port === '' ? DEFAULT_PORTS[scheme] : Number(parsed.port);
  if (port === undefined) throw new Error(`${scheme}: URLs have no default port here; write one (${scheme}://${parsed.host}:PORT)`);
  return { host, port };
}

/** The addresses a host name resolves to (the system resolver, as the application uses it); an IP is itself. */
export async function resolveHost(host: string): Promise<string[]> {
  if (isIP(host) !== 0) return [host];
  const addresses = await lookup(host, { all: true });
  return addresses.map((entry) => entry.address);
}

/** Open a TCP connection and close it again; resolves with the connect time in ms. */
export function tcpConnect({ host, port }: Endpoint, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = new Socket();
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      const ms = Math.round((performance.now() - started) * 1000) / 1000;
      socket.destroy();
      resolve(ms);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    });
    socket.connect({ host, port });
  });
}
