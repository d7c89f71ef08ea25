import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerOptions } from 'node:https';
import { selfSigned } from '@probe/testkit';
import { runProbe } from '../../test/fixtures/run.ts';
import { startFakeUpstream, type FakeUpstream } from '../testing/index.ts';

let upstream: FakeUpstream | undefined;
afterEach(async () => { await upstream?.close(); upstream = undefined; });

const certs: Record<string, { key: string; cert: string }> = {};
beforeAll(async () => {
  const made = await Promise.all([
    selfSigned({ days: 365, altNames: 'IP:127.0.0.1' }),
    selfSigned({ days: 3, altNames: 'IP:127.0.0.1' }),
    selfSigned({ days: 20, altNames: 'IP:127.0.0.1' }),
    selfSigned({ days: 365, altNames: 'DNS:other.example' }),
  ]);
  [certs.good, certs.expiring, certs.soon, certs.mismatch] = made;
});

async function tls(cert: { key: string; cert: string }, server: ServerOptions = {}, trust = true) {
  upstream = await startFakeUpstream({ tls: { ...cert, ...server }, routes: { 'GET /': { body: { ok: true } } } });
  const results = await runProbe({ baseUrl: upstream.url, endpoints: [{ path: '/' }], ...(trust ? { tls: { ca: cert.cert } } : {}) }, { only: ['api.tls'] });
  return results['api.tls']!;
}

describe('api.tls', () => {
  it('passes a trusted, matching, long-lived certificate on TLS 1.3 that refuses TLS 1.1', async () => {
    const result = await tls(certs.good!);
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toMatch(/^TLSv1\.3, certificate for 127\.0\.0\.1 trusted, 36[45] days left; TLS 1\.0\/1\.1 refused$/);
    expect(result.evidence.reproduce).toMatch(/^openssl s_client -connect 127\.0\.0\.1:\d+ /);
  });

  it('fails on a certificate about to expire and warns on one expiring within a month', async () => {
    expect((await tls(certs.expiring!)).summary).toMatch(/^certificate expires in [23] days$/);
    await upstream?.close();
    const soon = await tls(certs.soon!);
    expect(soon.status).toBe('warn');
    expect(soon.summary).toMatch(/^certificate expires in (19|20) days$/);
  });

  it('fails on a hostname mismatch', async () => {
    const result = await tls(certs.mismatch!);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('certificate does not match 127.0.0.1 (it names DNS:other.example)');
  });

  it('fails on an untrusted certificate', async () => {
    const result = await tls(certs.good!, {}, false);
    expect(result.summary).toBe('certificate not trusted: DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('fails when the server accepts TLS 1.1', async () => {
    const result = await tls(certs.good!, { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('accepts legacy TLSv1.1 when a client offers only TLS 1.0/1.1');
  });

  it('is skipped for http base URLs', async () => {
    const result = (await runProbe({ baseUrl: 'http://127.0.0.1:9', endpoints: [{ path: '/' }] }, { only: ['api.tls'] }))['api.tls']!;
    expect(result.status).toBe('skip');
  });
});
