import { createHash } from 'node:crypto';

/**
 * The value as plain, order-independent JSON data, so that two reads of the
 * same data compare equal whatever the driver returned: object keys sorted,
 * `Date` → ISO string, `bigint` → decimal string, `Buffer`/typed arrays → hex,
 * `Map` → object (keys sorted), `Set` → sorted array, `undefined` members left
 * out. Cycles become `"[cycle]"`.
 */
export function canonicalize(value: unknown, seen = new Set<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => canonicalize(item, seen) ?? null);
    if (value instanceof Set) return sortByJson([...value].map((item) => canonicalize(item, seen) ?? null));
    const entries = value instanceof Map ? [...value].map(([key, item]) => [String(key), item] as const) : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const canonical = canonicalize(item, seen);
      if (canonical !== undefined) out[key] = canonical;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** The canonical JSON text of a value: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? 'undefined';
}

/** SHA-256 (hex) over the canonical JSON of each value, in order. */
export function checksum(values: Iterable<unknown>): string {
  const hash = createHash('sha256');
  for (const value of values) hash.update(canonicalJson(value)).update('\n');
  return hash.digest('hex');
}

/**
 * A deterministic sample of at most `size` keys: the keys whose SHA-1 hashes
 * come first. The same keys are picked on every run and every machine, they
 * spread over the whole key space (not just the lowest ids), and a key of one
 * store is picked exactly when the same key of another store is. Returned in
 * key order.
 */
export function sampleKeys(keys: Iterable<string>, size: number): string[] {
  const unique = [...new Set(keys)];
  const picked = unique.length <= size ? unique : unique
    .map((key) => ({ key, hash: createHash('sha1').update(key).digest('hex') }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .slice(0, size)
    .map((entry) => entry.key);
  return picked.sort(compareKeys);
}

/** Numeric keys in numeric order, then the rest in code-unit order: `2` before `10`. */
export function compareKeys(a: string, b: string): number {
  const numeric = /^-?\d+$/;
  if (numeric.test(a) && numeric.test(b)) {
    const difference = BigInt(a) - BigInt(b);
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByJson(values: unknown[]): unknown[] {
  return values
    .map((value) => ({ value, json: JSON.stringify(value) }))
    .sort((a, b) => (a.json < b.json ? -1 : a.json > b.json ? 1 : 0))
    .map((entry) => entry.value);
}
