import { connect, createServer, type Socket } from 'node:net';

/** Options of {@link startRespProxy}. */
export interface RespProxyOptions {
  target: { host: string; port: number };
  /** Delay added before each client→server chunk is forwarded (a slow network). */
  delayMs?: number;
  /** Rewrite each client command, given as its arguments (a middlebox that alters commands). */
  rewrite?: (args: Buffer[]) => Buffer[];
  /** Accept this many connections; later ones are closed at once (a firewall that blocks reconnects). */
  maxConnections?: number;
}

/** A running proxy. */
export interface RespProxy {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of Redis that can slow, rewrite or refuse client
 * traffic: the defect fixtures for latency, expiration, read-write and
 * recovery. Replies pass through untouched.
 */
export async function startRespProxy(options: RespProxyOptions): Promise<RespProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    accepted += 1;
    if (options.maxConnections !== undefined && accepted > options.maxConnections) {
      client.destroy();
      return;
    }
    const upstream = connect(options.target.port, options.target.host);
    sockets.add(upstream);
    upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (chunk) => client.write(chunk));
    let pending: Buffer = Buffer.alloc(0);
    let chain = Promise.resolve();
    client.on('data', (chunk) => {
      let out: Buffer;
      if (options.rewrite) {
        pending = Buffer.concat([pending, chunk]);
        const parsed = splitCommands(pending);
        pending = parsed.rest;
        out = Buffer.concat(parsed.commands.map((args) => encode(options.rewrite!(args))));
      } else {
        out = chunk;
      }
      if (!options.delayMs) {
        upstream.write(out);
        return;
      }
      chain = chain.then(() => new Promise((resolve) => setTimeout(resolve, options.delayMs))).then(() => { if (!upstream.destroyed) upstream.write(out); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    connections: () => accepted,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Complete RESP multibulk commands at the start of `buffer`, and the incomplete rest. */
function splitCommands(buffer: Buffer): { commands: Buffer[][]; rest: Buffer } {
  const commands: Buffer[][] = [];
  let offset = 0;
  for (;;) {
    const command = parseCommand(buffer, offset);
    if (!command) break;
    commands.push(command.args);
    offset = command.end;
  }
  return { commands, rest: buffer.subarray(offset) };
}

function parseCommand(buffer: Buffer, start: number): { args: Buffer[]; end: number } | undefined {
  const line = (from: number) => {
    const end = buffer.indexOf('\r\n', from);
    return end < 0 ? undefined : { text: buffer.toString('latin1', from + 1, end), next: end + 2 };
  };
  if (start >= buffer.length || buffer[start] !== 0x2a) return undefined;
  const header = line(start);
  if (!header) return undefined;
  const args: Buffer[] = [];
  let offset = header.next;
  for (let index = 0; index < Number(header.text); index++) {
    const length = line(offset);
    if (!length) return undefined;
    const end = length.next + Number(length.text);
    if (end + 2 > buffer.length) return undefined;
    args.push(buffer.subarray(length.next, end));
    offset = end + 2;
  }
  return { args, end: offset };
}

function encode(args: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...args.flatMap((arg) => [Buffer.from(`$${arg.length}\r\n`), arg, Buffer.from('\r\n')])]);
}
