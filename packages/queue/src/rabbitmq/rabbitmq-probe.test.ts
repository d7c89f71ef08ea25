import { serviceUrl } from '@probe/services';
import { describe, expect, it } from 'vitest';
import { runProbe } from '../../test/support/run.ts';
import { rabbitmq } from './rabbitmq-probe.ts';

const url = serviceUrl('amqp');
/** The service URL with other credentials, port or vhost. */
const variant = (change: (parsed: URL) => void) => {
  const parsed = new URL(url ?? 'amqp://guest:guest@127.0.0.1:5672');
  change(parsed);
  return parsed.toString();
};

describe('rabbitmq(): invalid options name the field', () => {
  it('reports each problem with its path, and the URL password is a secret', () => {
    const probe = rabbitmq({ url: 'http://guest:pw@x', queues: [{ name: '' }], expect: { minVersion: 'latest' } } as never);
    expect(probe.issues).toEqual([
      { path: 'url', message: 'expected an amqp:// or amqps:// URL, got "http://guest:pw@x"' },
      { path: 'expect.minVersion', message: 'expected a version like "3.13", got "latest"' },
      { path: 'queues[0].name', message: expect.stringMatching(/>=1 characters/) },
    ]);
    expect(probe.secrets).toEqual(['pw']);
  });
});

describe.skipIf(!url)('rabbitmq(): a broker that cannot be used ends in a clear error within seconds', () => {
  it('a wrong password: PROBE_ERR_AUTH, and the password never shows', async () => {
    const password = 'canary-R4bbit-secret';
    const { all, durationMs } = await runProbe(rabbitmq({ url: variant((parsed) => { parsed.password = password; }) }));
    expect(all[0]!.error).toEqual({
      code: 'PROBE_ERR_AUTH',
      message: expect.stringMatching(/^setup of rabbitmq failed: RabbitMQ refused the login: Handshake terminated by server: 403 \(ACCESS-REFUSED\).* — check the user and password in the URL$/),
    });
    expect(JSON.stringify(all)).not.toContain(password);
    expect(durationMs).toBeLessThan(2_000);
  });

  it('a closed port: PROBE_ERR_UNREACHABLE at once', async () => {
    const { all, durationMs } = await runProbe(rabbitmq({ url: variant((parsed) => { parsed.port = '1'; }) }));
    expect(all[0]!.error).toMatchObject({ code: 'PROBE_ERR_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
    expect(durationMs).toBeLessThan(1_000);
  });

  it.skipIf(!serviceUrl('kafka'))('a non-AMQP port (Kafka): PROBE_ERR_UNREACHABLE saying it did not speak AMQP', async () => {
    const port = serviceUrl('kafka')!.split(',')[0]!.split(':')[1]!;
    const { all } = await runProbe(rabbitmq({ url: variant((parsed) => { parsed.port = port; }) }));
    expect(all[0]!.error!.message).toMatch(/did not speak AMQP: Socket closed abruptly during opening handshake — is it an AMQP listener/);
  });

  it('a missing vhost: PROBE_ERR_AUTH naming it', async () => {
    const { all } = await runProbe(rabbitmq({ url: variant((parsed) => { parsed.pathname = '/no-such-vhost'; }) }));
    expect(all[0]!.error).toMatchObject({ code: 'PROBE_ERR_AUTH', message: expect.stringContaining('virtual host "no-such-vhost"') });
  });
});
