import { isIP } from 'node:net';
import { checkServerIdentity, connect, rootCertificates, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { ProbeError, ProbeErrorCode, messageOf, type Check } from '@probe/core';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { listed, skipped } from './report.ts';

/** What one TLS handshake showed. */
export interface Handshake {
  protocol: string | null;
  authorized: boolean;
  authorizationError?: string;
  certificate?: PeerCertificate;
}

const LEGACY = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

/**
 * `api.tls` (https base URLs): the certificate is trusted, matches the host name and has days
 * left (fail under `minDaysLeft`, warn under `warnDaysLeft`); TLS 1.2 or newer is negotiated
 * and TLS 1.0/1.1 are refused.
 */
export function tlsCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.tls',
    title: 'TLS certificate and protocol are sound',
    checklist: ['integration.external.integration-security.verify-encryption', 'integration.api.authentication.monitor-security'],
    timeoutMs: 3 * options.limits.connectTimeoutMs + 1_000,
    async run(context) {
      const url = new URL(options.baseUrl);
      if (url.protocol !== 'https:') return skipped('the base URL is not https');
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const port = Number(url.port || 443);
      const ca = [...rootCertificates, ...[options.tls?.ca ?? []].flat()];
      const base: ConnectionOptions = { host, port, ca, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) };
      const main = await handshake(base, options.limits.connectTimeoutMs, context.signal);
      const legacy = await handshake({ ...base, ...LEGACY }, options.limits.connectTimeoutMs, context.signal).catch(() => undefined);
      const certificate = main.certificate;
      const failures: string[] = [];
      const warnings: string[] = [];
      const daysLeft = certificate?.valid_to ? Math.floor((Date.parse(certificate.valid_to) - Date.now()) / 86_400_000) : undefined;
      const identityError = certificate ? checkServerIdentity(host, certificate) : new Error('no certificate');
      if (identityError) failures.push(`certificate does not match ${host} (it names ${certificate?.subjectaltname ?? certificate?.subject?.CN ?? 'nothing'})`);
      if (!main.authorized && main.authorizationError !== 'ERR_TLS_CERT_ALTNAME_INVALID') failures.push(`certificate not trusted: ${main.authorizationError}`);
      if (daysLeft !== undefined) {
        context.metric('api.tls.days_left', daysLeft, 'count');
        if (daysLeft < 0) failures.push(`certificate expired ${-daysLeft} days ago`);
        else if (daysLeft < (options.tls?.minDaysLeft ?? 7)) failures.push(`certificate expires in ${daysLeft} days`);
        else if (daysLeft < (options.tls?.warnDaysLeft ?? 30)) warnings.push(`certificate expires in ${daysLeft} days`);
      }
      if (main.protocol && /^(SSLv|TLSv1(\.1)?$)/.test(main.protocol)) failures.push(`negotiated ${main.protocol}; TLS 1.2 or newer expected`);
      else if (legacy?.protocol) failures.push(`accepts legacy ${legacy.protocol} when a client offers only TLS 1.0/1.1`);
      const evidence = {
        host, port, protocol: main.protocol, legacyAccepted: legacy?.protocol ?? null,
        certificate: certificate ? { subject: certificate.subject, issuer: certificate.issuer, subjectAltName: certificate.subjectaltname ?? null, validFrom: certificate.valid_from, validTo: certificate.valid_to, daysLeft, fingerprint256: certificate.fingerprint256 } : null,
        authorized: main.authorized, ...(main.authorizationError ? { authorizationError: main.authorizationError } : {}),
        reproduce: `openssl s_client -connect ${host}:${port}${isIP(host) ? '' : ` -servername ${host}`} </dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName`,
      };
      if (failures.length > 0) return { status: 'fail', summary: listed(failures, 3), evidence };
      if (warnings.length > 0) return { status: 'warn', summary: listed(warnings), evidence };
      return { status: 'pass', summary: `${main.protocol}, certificate for ${host} trusted, ${daysLeft} days left; TLS 1.0/1.1 refused`, evidence };
    },
  };
}

/** One handshake; resolves with what it showed, rejects when no TLS session could be made. */
export function handshake(options: ConnectionOptions, timeoutMs: number, signal: AbortSignal): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ ...options, timeout: timeoutMs });
    const fail = (error: unknown) => {
      socket.destroy();
      reject(error instanceof Error && (error as { code?: string }).code === 'ECONNREFUSED'
        ? new ProbeError(ProbeErrorCode.UNREACHABLE, `${options.host}:${options.port}: ${messageOf(error)}`, { cause: error })
        : error);
    };
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      const certificate = socket.getPeerCertificate();
      resolve({
        protocol: socket.getProtocol(), authorized: socket.authorized,
        ...(socket.authorizationError ? { authorizationError: String((socket.authorizationError as unknown as { code?: string }).code ?? socket.authorizationError) } : {}),
        ...(certificate && Object.keys(certificate).length > 0 ? { certificate } : {}),
      });
      socket.end();
    });
    socket.once('timeout', () => fail(new ProbeError(ProbeErrorCode.UNREACHABLE, `TLS handshake with ${options.host}:${options.port} timed out after ${timeoutMs} ms`)));
    socket.once('error', (error) => { signal.removeEventListener('abort', onAbort); fail(error); });
  });
}
