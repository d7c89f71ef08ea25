import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSigned } from '@probe/testkit';
import { runHttpLoad } from './run.ts';

let server: Server;
let url: string;
let cert: string;
let served = 0;

beforeAll(async () => {
  const pair = await selfSigned({ days: 1, altNames: 'IP:127.0.0.1' });
  cert = pair.cert;
  server = createServer({ key: pair.key, cert: pair.cert }, (_request, response) => {
    served += 1;
    response.writeHead(served % 10 === 0 ? 503 : 200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('https:// targets (undici)', () => {
  it('loads a TLS server trusted through `tls.ca`: every request counted, every 10th a 503', async () => {
    served = 0;
    const result = await runHttpLoad({ url, tls: { ca: cert }, connections: 2, requests: 100, duration: '3s', warmup: 0, progress: 'off' });
    expect(result.driver).toBe('undici');
    expect(result.completed).toBe(100);
    expect(served).toBe(101); // and the one request that checks the target answers before any load
    expect(result.statuses).toEqual({ 200: 90, 503: 10 });
    expect(result.errors).toBe(10);
    expect(result.latency.p50).toBeGreaterThan(0);
  });

  it('an untrusted certificate fails before any load, saying why', async () => {
    served = 0;
    const started = performance.now();
    await expect(runHttpLoad({ url, connections: 2, requests: 100, duration: '3s', warmup: 0, progress: 'off' }))
      .rejects.toMatchObject({
        code: 'PROBE_ERR_UNREACHABLE',
        message: expect.stringMatching(/^cannot load https:\/\/127\.0\.0\.1:\d+\/: its TLS certificate was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/),
        hint: 'trust the CA that signed it with `tls: { ca: <PEM> }`, or fix the certificate (name, expiry, chain)',
      });
    expect(served).toBe(0);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
