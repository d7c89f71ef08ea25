import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

/** `host:port` of a service URL from the services global setup (redis://…, postgres://…). */
export function addressOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'redis:' ? '6379' : '5432')}`;
}

/** The same URL with its host and port replaced (to go through a proxy). */
export function through(url: string, host: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = host;
  parsed.port = String(port);
  return parsed.toString();
}

/** A raw connection that speaks enough RESP to time Redis round trips. */
export interface RawRedis {
  socket: Socket;
  /** Send a command; resolve with the reply bytes once `expectBytes` (or a full line) arrived, and the time it took. */
  send(command: string[], expectBytes?: number): Promise<{ reply: Buffer; ms: number; chunks: number }>;
  close(): void;
}

export async function rawRedis(port: number, host = '127.0.0.1'): Promise<RawRedis> {
  const socket = connect({ host, port });
  await once(socket, 'connect');
  socket.setNoDelay(true);
  return {
    socket,
    send(command, expectBytes) {
      const started = performance.now();
      const parts: Buffer[] = [];
      let size = 0;
      return new Promise((resolve, reject) => {
        const done = () => { socket.off('data', onData); socket.off('error', onError); socket.off('close', onClose); };
        const onData = (chunk: Buffer) => {
          parts.push(chunk);
          size += chunk.length;
          const reply = Buffer.concat(parts);
          if (expectBytes === undefined ? reply.includes('\r\n') : size >= expectBytes) {
            done();
            resolve({ reply, ms: performance.now() - started, chunks: parts.length });
          }
        };
        const onError = (error: Error) => { done(); reject(error); };
        const onClose = () => { done(); reject(Object.assign(new Error(`closed after ${size} bytes`), { code: 'CLOSED', bytes: size })); };
        socket.on('data', onData);
        socket.on('error', onError);
        socket.on('close', onClose);
        socket.write(`*${command.length}\r\n${command.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`);
      });
    },
    close: () => socket.destroy(),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Bytes of a RESP bulk reply carrying `size` bytes: `$<size>\r\n…\r\n`. */
export function bulkReplyBytes(size: number): number {
  return `$${size}\r\n`.length + size + 2;
}
