import { parseCookie, type Cookie } from 'undici';
import type { ApiResponse } from './client.ts';

/** The cookies a response sets, parsed (name, value, HttpOnly, Secure, SameSite, …). */
export function setCookies(response: ApiResponse | undefined): Cookie[] {
  const raw = response?.headers['set-cookie'];
  if (!raw) return [];
  return [raw].flat().map((line) => parseCookie(line)).filter((cookie): cookie is Cookie => cookie !== null);
}

/** A `Cookie` request header from name/value pairs. */
export function cookieHeader(cookies: Record<string, string>): string | undefined {
  const pairs = Object.entries(cookies).map(([name, value]) => `${name}=${value}`);
  return pairs.length > 0 ? pairs.join('; ') : undefined;
}

export type { Cookie };
