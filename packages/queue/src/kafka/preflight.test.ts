import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '@probe/services';
import { brokers } from '../../test/support/kafka.ts';
import { assertKafka, handshake, splitAddress } from './preflight.ts';

/** A TCP server on port 0 that answers every request with `reply` (or never, when undefined). */
async function fakeServer(reply?: Buffer): Promise<{ address: string; close(): void }> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    if (reply) socket.on('data', () => socket.write(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => server.close() };
}

describe('splitAddress', () => {
  it('reads host:port, bracketed IPv6, and defaults the port', () => {
    expect(splitAddress('kafka-0.internal:9093')).toEqual(['kafka-0.internal', 9093]);
    expect(splitAddress('[::1]:9092')).toEqual(['::1', 9092]);
    expect(splitAddress('kafka')).toEqual(['kafka', 9092]);
  });
});

describe('handshake: what answers on a port', () => {
  const garbage: { address: string; close(): void }[] = [];
  let http: { address: string; close(): void };
  let silent: { address: string; close(): void };
  beforeAll(async () => {
    http = await fakeServer(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    silent = await fakeServer();
    garbage.push(http, silent);
  });
  afterAll(() => garbage.forEach((server) => server.close()));

  it.skipIf(!brokers)('recognises a Kafka broker by its ApiVersions response', async () => {
    expect(await handshake(brokers!.split(',')[0]!, { timeoutMs: 2_000 })).toMatchObject({ kind: 'kafka' });
  });

  it('a closed port is unreachable, at once', async () => {
    const started = performance.now();
    expect(await handshake('127.0.0.1:1', { timeoutMs: 2_000 })).toEqual({ address: '127.0.0.1:1', kind: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('an HTTP server is "not Kafka", with what it said and a guess', async () => {
    const result = await handshake(http.address, { timeoutMs: 2_000 });
    expect(result).toMatchObject({ kind: 'not-kafka' });
    expect((result as { detail: string }).detail).toBe('it answered "HTTP/1.1 400 Bad Request....", which is not a Kafka response (an HTTP server?)');
  });

  it('a server that never answers is "silent" after the timeout', async () => {
    const started = performance.now();
    const result = await handshake(silent.address, { timeoutMs: 300 });
    expect(result.kind).toBe('silent');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.skipIf(!serviceUrl('amqp'))('names RabbitMQ on an AMQP port', async () => {
    const port = new URL(serviceUrl('amqp')!).port || '5672';
    expect((await handshake(`127.0.0.1:${port}`, { timeoutMs: 2_000 }) as { detail: string }).detail).toMatch(/AMQP server/);
  });

  it.skipIf(!brokers)('a TLS client against a PLAINTEXT listener is told to unset ssl', async () => {
    const result = await handshake(brokers!.split(',')[0]!, { timeoutMs: 2_000, tls: { rejectUnauthorized: false } });
    expect(result).toMatchObject({ kind: 'not-kafka', detail: 'the TLS handshake did not complete (is it a PLAINTEXT listener? then leave `ssl` unset)' });
  });

  it('assertKafka passes when any seed answers, and otherwise names every seed', async () => {
    if (brokers) await expect(assertKafka(['127.0.0.1:1', brokers.split(',')[0]!], { timeoutMs: 2_000 })).resolves.toMatchObject({ kind: 'kafka' });
    await expect(assertKafka(['127.0.0.1:1', http.address], { timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'PROBE_ERR_UNREACHABLE',
      message: expect.stringMatching(/^no Kafka broker answered \(127\.0\.0\.1:1: connect ECONNREFUSED .*; 127\.0\.0\.1:\d+: it answered "HTTP/),
      hint: expect.stringContaining('must name a Kafka listener'),
    });
  });
});
