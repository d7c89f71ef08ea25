import { describe, expect, it } from 'vitest';
import { serviceUrl } from '@probe/services';
import { runProbe } from '../../test/support/run.ts';
import { brokers } from '../../test/support/kafka.ts';
import { kafka } from './kafka-probe.ts';

describe('kafka(): invalid options name the field and run nothing', () => {
  it('reports each problem with its path', () => {
    const probe = kafka({
      brokers: 'localhost',
      sasl: { mechanism: 'gssapi' as never, username: 'u', password: 'p' },
      handlers: [{ name: 'h', input: 'in', message: { value: 'x' } }],
      sampling: { samples: 1 },
      typo: true,
    } as never);
    expect(probe.issues).toEqual([
      { path: 'brokers[0]', message: 'expected host:port (e.g. "127.0.0.1:9092"), got "localhost"' },
      { path: 'sasl.mechanism', message: expect.stringContaining('"plain"') },
      { path: 'handlers[0].output', message: 'give output (a topic) or verify (a function), got neither' },
      { path: 'sampling.samples', message: expect.stringMatching(/>=2/) },
      { path: 'typo', message: 'unknown option "typo"; remove it or check its spelling' },
    ]);
    expect(probe.checks).toEqual([]);
    expect(probe.secrets).toEqual(['p']);
  });

  it('accepts brokers as a comma-separated string or an array', () => {
    expect(kafka({ brokers: 'a:9092, b:9093' }).target).toEqual({ kind: 'kafka', name: 'kafka', url: 'kafka://a:9092,b:9093' });
    expect(kafka({ brokers: ['a:9092'], name: 'orders' }).target).toEqual({ kind: 'kafka', name: 'orders', url: 'kafka://a:9092' });
  });
});

describe('kafka(): a broker that cannot be used ends in a clear error within seconds', () => {
  it('unreachable: every check is PROBE_ERR_UNREACHABLE at once', async () => {
    const { all, durationMs } = await runProbe(kafka({ brokers: '127.0.0.1:1' }));
    expect(all.length).toBe(14);
    expect(new Set(all.map((result) => result.error?.code))).toEqual(new Set(['PROBE_ERR_UNREACHABLE']));
    expect(all[0]!.error!.message).toMatch(/^target kafka is unreachable: no Kafka broker answered \(127\.0\.0\.1:1: connect ECONNREFUSED/);
    expect(durationMs).toBeLessThan(1_000);
  });

  it.skipIf(!serviceUrl('redis'))('a non-Kafka port (Redis, which waits for a line) is named after the connection timeout', async () => {
    const port = new URL(serviceUrl('redis')!).port || '6379';
    const { all, durationMs } = await runProbe(kafka({ brokers: `127.0.0.1:${port}`, connectionTimeoutMs: 1_000 }));
    expect(all[0]!.error).toEqual({
      code: 'PROBE_ERR_UNREACHABLE',
      message: `target kafka is unreachable: no Kafka broker answered (127.0.0.1:${port}: connected, but no Kafka answer within 1000 ms (a server that does not speak Kafka, e.g. Redis, or an SSL listener without \`ssl\`?)) — check \`brokers\`: it must name a Kafka listener (host:port), and \`ssl\` must match the listener (PLAINTEXT or SSL)`,
    });
    expect(durationMs).toBeLessThan(2_000);
  });

  it.skipIf(!serviceUrl('amqp'))('a port that answers something else (RabbitMQ) is named at once', async () => {
    const port = new URL(serviceUrl('amqp')!).port || '5672';
    const { all, durationMs } = await runProbe(kafka({ brokers: `127.0.0.1:${port}` }));
    expect(all[0]!.error!.message).toContain('which is not a Kafka response (an AMQP server, e.g. RabbitMQ?)');
    expect(durationMs).toBeLessThan(1_000);
  });

  it.skipIf(!brokers)('SASL credentials against a PLAINTEXT listener: PROBE_ERR_AUTH saying so, and the password never shows', async () => {
    const password = 'canary-Zq7-secret';
    const { all, durationMs } = await runProbe(kafka({ brokers: brokers!, sasl: { mechanism: 'scram-sha-512', username: 'probe', password } }));
    expect(all[0]!.error).toEqual({
      code: 'PROBE_ERR_AUTH',
      message: 'setup of kafka failed: the broker rejected the SASL handshake (ILLEGAL_SASL_STATE: Request is not valid given the current SASL state) — `sasl` is set but this listener does not use SASL (PLAINTEXT or SSL): remove `sasl`, or point `brokers` at the SASL_PLAINTEXT/SASL_SSL listener',
    });
    expect(all.filter((result) => result.status === 'error').length).toBe(14);
    expect(JSON.stringify(all)).not.toContain(password);
    expect(durationMs).toBeLessThan(1_000);
  });
});
