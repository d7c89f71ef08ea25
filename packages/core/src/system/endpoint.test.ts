import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { endpointOf, resolveHost, tcpConnect } from './endpoint.ts';

describe('endpointOf', () => {
  it.each([
    ['postgres://app:pw@db.internal:6543/app', { host: 'db.internal', port: 6543 }],
    ['postgresql://db/app', { host: 'db', port: 5432 }],
    ['redis://[::1]', { host: '::1', port: 6379 }],
    ['rediss://cache:6380/0', { host: 'cache', port: 6380 }],
    ['https://api.example.test/v1', { host: 'api.example.test', port: 443 }],
    ['kafka://127.0.0.1', { host: '127.0.0.1', port: 9092 }],
    ['nats://nats', { host: 'nats', port: 4222 }],
  ])('%s → %j', (url, endpoint) => {
    expect(endpointOf(url)).toEqual(endpoint);
  });
});

describe('resolveHost and tcpConnect', () => {
  it('counts an IP address as resolved, and resolves localhost', async () => {
    expect(await resolveHost('127.0.0.1')).toEqual(['127.0.0.1']);
    expect((await resolveHost('localhost')).length).toBeGreaterThan(0);
  });

  it('connects and measures, and stops at once when aborted', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await tcpConnect({ host: '127.0.0.1', port }, new AbortController().signal)).toBeGreaterThan(0);
      const aborted = new AbortController();
      aborted.abort(new Error('stop'));
      await expect(tcpConnect({ host: '127.0.0.1', port }, aborted.signal)).rejects.toThrow('stop');
      const later = new AbortController();
      const pending = tcpConnect({ host: '10.255.255.1', port: 9 }, later.signal);   // unroutable: the connect hangs
      later.abort(new Error('deadline'));
      await expect(pending).rejects.toThrow('deadline');
    } finally {
      server.close();
    }
  });
});
