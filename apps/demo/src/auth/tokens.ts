import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who a request acts for. */
export interface Principal {
  customerId: number;
  role: 'customer' | 'admin';
}

/** Access tokens live 15 minutes. */
export const TOKEN_TTL_SECONDS = 900;

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const signature = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();

/** An HS256 JWT `{ sub, role, iat, exp }`. */
export function signToken(principal: Principal, secret: string, options: { ttlSeconds?: number; now?: number } = {}): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: String(principal.customerId), role: principal.role, iat, exp: iat + (options.ttlSeconds ?? TOKEN_TTL_SECONDS) }));
  return `${header}.${payload}.${base64url(signature(`${header}.${payload}`, secret))}`;
}

/** The principal of a valid token, or undefined (bad signature, other algorithm, expired, malformed). */
export function verifyToken(token: string, secret: string, now = Date.now()): Principal | undefined {
  const [header, payload, signed] = token.split('.');
  if (!header || !payload || !signed) return undefined;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'HS256') return undefined;
    const given = Buffer.from(signed, 'base64url');
    const expected = signature(`${header}.${payload}`, secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string; role?: string; exp?: number };
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return undefined;
    if (claims.role !== 'customer' && claims.role !== 'admin') return undefined;
    const customerId = Number(claims.sub);
    return Number.isSafeInteger(customerId) && customerId > 0 ? { customerId, role: claims.role } : undefined;
  } catch {
    return undefined;
  }
}
