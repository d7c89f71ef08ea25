import { verifyToken, type Principal } from '../auth/tokens.ts';
import { Problem } from './problem.ts';
import type { Access } from './router.ts';

const unauthorized = (detail: string) => new Problem(401, 'Unauthorized', detail);

/**
 * The caller of a request: a valid bearer token's principal. A public route
 * also serves callers without a token; a bad token is refused everywhere.
 */
export function authorize(access: Access, authorization: string | undefined, secret: string): Principal | undefined {
  if (!authorization) {
    if (access === 'public') return undefined;
    throw unauthorized('send Authorization: Bearer <token> (POST /auth/login gives one)');
  }
  const [scheme, token] = authorization.split(' ');
  const principal = scheme?.toLowerCase() === 'bearer' && token ? verifyToken(token, secret) : undefined;
  if (!principal) throw unauthorized('the bearer token is invalid or expired');
  if (access === 'admin' && principal.role !== 'admin') throw new Problem(403, 'Forbidden', 'this needs the admin role');
  return principal;
}

/** The customer a request may act on: itself, or anyone for an admin. */
export function canActFor(principal: Principal | undefined, customerId: number): boolean {
  return principal !== undefined && (principal.role === 'admin' || principal.customerId === customerId);
}
