import net from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import { ProbeError, ProbeErrorCode, messageOf, systemCode } from '@probe/core';

/** What one seed broker said to a bare Kafka `ApiVersions` request. */
export type HandshakeResult =
  | { address: string; kind: 'kafka'; latencyMs: number }
  | { address: string; kind: 'unreachable'; detail: string }
  | { address: string; kind: 'not-kafka'; detail: string }
  | { address: string; kind: 'silent'; detail: string };

const API_VERSIONS = 18;
const CORRELATION_ID = 0x70726f62; // "prob"

/**
 * Send one `ApiVersions` v0 request (allowed before TLS-less SASL and on every
 * Kafka version) and check that the answer is framed like Kafka's: a size, our
 * correlation id, an error code. kafkajs alone turns a Redis port or a silent
 * socket into "Broker not connected" after its request timeout; this names the
 * cause within `timeoutMs`.
 */
export function handshake(address: string, options: { timeoutMs: number; tls?: ConnectionOptions | undefined }): Promise<HandshakeResult> {
  const [host, port] = splitAddress(address);
  const started = performance.now();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = options.tls
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...options.tls })
      : net.connect({ host, port });
    const finish = (result: HandshakeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish(received.length === 0 && !socket.readyState.startsWith('open')
        ? { address, kind: 'unreachable', detail: `no TCP connection within ${options.timeoutMs} ms` }
        : { address, kind: 'silent', detail: `connected, but no Kafka answer within ${options.timeoutMs} ms (a server that does not speak Kafka, e.g. Redis, or an SSL listener without \`ssl\`?)` });
    }, options.timeoutMs);
    let ready = false;
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      ready = true;
      socket.write(apiVersionsRequest());
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const verdict = readResponse(received);
      if (verdict === 'incomplete') return;
      if (verdict === 'kafka') finish({ address, kind: 'kafka', latencyMs: Math.round(performance.now() - started) });
      else finish({ address, kind: 'not-kafka', detail: `it answered ${quote(received)}, which is not a Kafka response${guess(received)}` });
    });
    socket.on('error', (error) => {
      const code = systemCode(error);
      if (received.length > 0 || code === 'ECONNRESET' || code === 'EPIPE' || /TLS|SSL|wrong version/i.test(error.message)) {
        finish({ address, kind: 'not-kafka', detail: `the connection failed during the handshake: ${messageOf(error)}` });
      } else {
        finish({ address, kind: 'unreachable', detail: messageOf(error) });
      }
    });
    socket.on('end', () => finish({ address, kind: 'not-kafka', detail: ending(ready, received, Boolean(options.tls)) }));
  });
}

/**
 * Handshake with every seed broker at once; resolves when one answers as
 * Kafka. Otherwise throws a `PROBE_ERR_UNREACHABLE` ProbeError that says,
 * per address, what answered instead.
 */
export async function assertKafka(brokers: readonly string[], options: { timeoutMs: number; tls?: ConnectionOptions | undefined }): Promise<HandshakeResult> {
  const results = await Promise.all(brokers.map((address) => handshake(address, options)));
  const ok = results.find((result) => result.kind === 'kafka');
  if (ok) return ok;
  const lines = results.map((result) => `${result.address}: ${'detail' in result ? result.detail : ''}`).join('; ');
  const notKafka = results.some((result) => result.kind === 'not-kafka' || result.kind === 'silent');
  throw new ProbeError(ProbeErrorCode.UNREACHABLE, `no Kafka broker answered (${lines})`, {
    hint: notKafka
      ? 'check `brokers`: it must name a Kafka listener (host:port), and `ssl` must match the listener (PLAINTEXT or SSL)'
      : 'check that the brokers are running and reachable from here (host, port, firewall)',
  });
}

/** `host:port` → [host, port]; IPv6 in brackets (`[::1]:9092`) is accepted. */
export function splitAddress(address: string): [string, number] {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (!match) return [address, 9092];
  return [match[1]!, Number(match[2])];
}

function apiVersionsRequest(): Buffer {
  const clientId = Buffer.from('probe-preflight');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(API_VERSIONS, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(CORRELATION_ID, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  // The trailing CRLF is outside Kafka's frame (the broker waits for a next size that never
  // comes); line-based servers (Redis, SMTP, …) need it to answer at all and so be recognised.
  return Buffer.concat([size, body, Buffer.from('\r\n')]);
}

function ending(ready: boolean, received: Buffer, tls: boolean): string {
  if (tls && !ready) return 'the TLS handshake did not complete (is it a PLAINTEXT listener? then leave `ssl` unset)';
  return received.length ? `it answered ${quote(received)} and closed the connection` : 'it closed the connection without answering';
}

/** A Kafka response starts with a positive int32 size and echoes our correlation id. */
function readResponse(buffer: Buffer): 'kafka' | 'other' | 'incomplete' {
  if (buffer.length < 8) return buffer.length >= 4 && !plausibleSize(buffer.readInt32BE(0)) ? 'other' : 'incomplete';
  const size = buffer.readInt32BE(0);
  if (!plausibleSize(size)) return 'other';
  return buffer.readInt32BE(4) === CORRELATION_ID ? 'kafka' : 'other';
}

function plausibleSize(size: number): boolean {
  return size >= 6 && size <= 1_048_576;
}

function quote(buffer: Buffer): string {
  const text = buffer.subarray(0, 40).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return JSON.stringify(text);
}

/** A guess at what is listening, from the first bytes it sent. */
function guess(buffer: Buffer): string {
  const head = buffer.subarray(0, 16).toString('latin1');
  if (/^[-+]ERR|^-NOAUTH|^\+OK|^\$/.test(head)) return ' (a Redis server?)';
  if (head.startsWith('HTTP/')) return ' (an HTTP server?)';
  if (head.startsWith('AMQP')) return ' (an AMQP server, e.g. RabbitMQ?)';
  if (head.startsWith('INFO {')) return ' (a NATS server?)';
  if (head.startsWith('\x15\x03')) return ' (a TLS listener: set `ssl`?)';
  if (buffer[0] === 0x4e || buffer[0] === 0x52 || buffer[0] === 0x45) return ' (a PostgreSQL server?)';
  return '';
}
