/** Before any load: one request must get an HTTP response, so a wrong URL fails fast and clearly. */
import { ProbeError, ProbeErrorCode, messageOf, systemCode } from '@probe/core';
import { IDLE_SINK, type Driver } from '../engine/driver.ts';

/**
 * Send one request on lane 0 and wait for its response (any status): a refused or reset connection, or an answer
 * that is not HTTP/1.1, throws PROBE_ERR_UNREACHABLE. A first response slower than `timeoutMs` is no reason to
 * stop (the load will count timeouts): the request is dropped and the preflight resolves with -1.
 */
export function preflight(driver: Driver, label: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const settle = (action: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      driver.sink = IDLE_SINK;
      action();
    };
    const onAbort = () => settle(() => {
      driver.abort(0);
      reject(signal?.reason);
    });
    const timer = setTimeout(() => settle(() => {
      driver.abort(0);
      resolve(-1);
    }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    driver.sink = {
      done: (_lane, status) => settle(() => resolve(status)),
      fail: (_lane, kind) => settle(() => reject(unreachable(label, kind === 'bad response' ? 'its answer is not HTTP/1.1' : kind))),
      requeue: () => {},
      after: () => {},
      received: () => {},
    };
    driver.send(0, 1);
  });
}

/** Node's codes for a server certificate that TLS verification refused. */
const CERTIFICATE_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT(_LOCALLY)?|VERIFY_LEAF_SIGNATURE)|CERT_\w+|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** The error for a target that cannot be reached: names the URL and the cause, and what to do about it. */
export function unreachable(label: string, cause: unknown): ProbeError {
  const detail = typeof cause === 'string' ? cause : systemCode(cause) ?? messageOf(cause);
  const certificate = CERTIFICATE_CODES.test(detail);
  return new ProbeError(ProbeErrorCode.UNREACHABLE, `cannot load ${label}: ${certificate ? `its TLS certificate was refused (${detail})` : detail}`, {
    cause: typeof cause === 'string' ? undefined : cause,
    hint: certificate
      ? 'trust the CA that signed it with `tls: { ca: <PEM> }`, or fix the certificate (name, expiry, chain)'
      : 'check the URL and that the service is up',
  });
}
