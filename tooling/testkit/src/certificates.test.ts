import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selfSigned } from './certificates.ts';

describe('selfSigned', () => {
  it('makes a key and a certificate for the names and days asked, self-issued', async () => {
    const { key, cert } = await selfSigned({ days: 3, altNames: 'IP:127.0.0.1,DNS:probe.test', commonName: 'probe-ca' });
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName).toBe('IP Address:127.0.0.1, DNS:probe.test');
    expect(x509.subject).toBe('CN=probe-ca');
    expect(x509.issuer).toBe(x509.subject);
    const days = (Date.parse(x509.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThan(3.1);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
  });
});
