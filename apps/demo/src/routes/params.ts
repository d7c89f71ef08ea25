import { badRequest, notFound } from '../http/problem.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A positive integer path parameter, else 400. */
export function idParam(value: string | undefined, name: string): number {
  const id = Number(value);
  if (!/^\d{1,15}$/.test(value ?? '') || id < 1) throw badRequest(`${name} must be a positive integer, got "${value}"`);
  return id;
}

/** A UUID path parameter; anything else cannot name an order, so 404. */
export function uuidParam(value: string | undefined, what: string): string {
  if (!UUID.test(value ?? '')) throw notFound(`no ${what} ${value}`);
  return value!.toLowerCase();
}

/** `limit` (1–100, default 20) and `offset` (≥ 0, default 0) from the query, else 400. */
export function pageOf(query: URLSearchParams): { limit: number; offset: number } {
  const read = (name: string, fallback: number, min: number, max: number) => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) throw badRequest(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  return { limit: read('limit', 20, 1, 100), offset: read('offset', 0, 0, 1_000_000) };
}
