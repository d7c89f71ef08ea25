import net from 'node:net';
import { serviceUrl } from '@probe/services';
import { describe, expect, it } from 'vitest';
import { runProbe } from '../../test/support/run.ts';
import { nats } from './nats-probe.ts';

describe('nats(): invalid options name the field', () => {
  it('reports each problem with its path; pass and token are secrets', () => {
    const probe = nats({ servers: 'http://x', pass: 'pw', token: 'tk', consumers: [{ stream: 'S' }] } as never);
    expect(probe.issues).toEqual([
      { path: 'servers', message: expect.stringContaining('expected nats://host:port or host:port') },
      { path: 'consumers[0].name', message: 'is required (expected string)' },
    ]);
    expect(probe.secrets).toEqual(['pw', 'tk']);
  });

  it('accepts host:port, nats:// URLs and lists', () => {
    expect(nats({ servers: ['127.0.0.1:4222', 'nats://n2:4222'] }).target).toEqual({ kind: 'nats', name: 'nats', url: 'nats://127.0.0.1:4222,nats://n2:4222' });
  });
});

describe('nats(): a server that cannot be used ends in a clear error within seconds', () => {
  it('a closed port: PROBE_ERR_UNREACHABLE at once', async () => {
    const { all, durationMs } = await runProbe(nats({ servers: '127.0.0.1:1' }));
    expect(all[0]!.error).toMatchObject({ code: 'PROBE_ERR_UNREACHABLE', message: expect.stringContaining('connection refused') });
    expect(durationMs).toBeLessThan(1_000);
  });

  it('a port where nothing speaks NATS: PROBE_ERR_UNREACHABLE after the connect timeout, saying so', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      const { all, durationMs } = await runProbe(nats({ servers: address, connectTimeoutMs: 500 }));
      expect(all[0]!.error).toEqual({
        code: 'PROBE_ERR_UNREACHABLE',
        message: `target nats is unreachable: ${address} sent no NATS INFO within 500 ms — is it a NATS client port (4222)? other servers (Kafka, AMQP, Redis) wait for the client to speak first`,
      });
      expect(durationMs).toBeLessThan(1_500);
    } finally {
      silent.close();
    }
  });

  it.skipIf(!serviceUrl('nats'))('credentials the server does not require are not an error (NATS ignores them); the password never shows', async () => {
    const password = 'canary-N4ts-secret';
    const { all } = await runProbe(nats({ servers: serviceUrl('nats')!, user: 'probe', pass: password }), { only: ['queue.mgmt.health'] });
    expect(all[0]!.status).toBe('pass');
    expect(JSON.stringify(all)).not.toContain(password);
  });
});
