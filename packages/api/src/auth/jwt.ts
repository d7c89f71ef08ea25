import { createHmac } from 'node:crypto';

/** The decoded parts of a JWS compact token. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Decode a JWT without verifying it; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!isRecord(header) || !isRecord(payload) || typeof header.alg !== 'string') return undefined;
    return { header, payload };
  } catch {
    return undefined;
  }
}

/** Sign a JWT with an HMAC key (HS256/384/512). */
export function signJwt(payload: Record<string, unknown>, algorithm: 'HS256' | 'HS384' | 'HS512', secret: string): string {
  const head = encode({ alg: algorithm, typ: 'JWT' });
  const body = encode(payload);
  const hash = `sha${algorithm.slice(2)}`;
  return `${head}.${body}.${createHmac(hash, secret).update(`${head}.${body}`).digest('base64url')}`;
}

/** The same claims with `alg: none` and no signature: an API must never accept it. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

/**
 * The same token with its last characters changed (a JWT's signature, an opaque token's
 * tail): a real token in every way but authenticity.
 */
export function tamper(token: string): string {
  if (token.length === 0) return 'probe-tampered';
  const cut = Math.max(0, token.length - 4);
  const tail = token.slice(cut).split('').map((char) => (char === 'A' ? 'B' : 'A')).join('');
  return token.slice(0, cut) + tail;
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
