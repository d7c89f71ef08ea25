/**
 * INFO parsing. INFO returns `field:value` lines under `# Section` headers; the
 * set of fields differs between versions, so unknown fields are kept as text
 * and missing ones read as undefined.
 */

/** INFO's fields, flat (field names are unique across sections). */
export type Info = Record<string, string>;

/** Parse the text of `INFO [section]`. */
export function parseInfo(text: string): Info {
  const info: Info = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) info[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return info;
}

/** A numeric INFO field, or undefined when absent or not a number. */
export function infoNumber(info: Info, field: string): number | undefined {
  const raw = info[field];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** The named fields of an INFO, those present only. */
export function pick(info: Info, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.filter((field) => info[field] !== undefined).map((field) => [field, info[field]!]));
}

/** `a=1,b=x` (keyspace lines, `slaveN` lines) → `{ a: '1', b: 'x' }`. */
export function parseFields(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) out[part.slice(0, equals)] = part.slice(equals + 1);
  }
  return out;
}

/** One `dbN` line of the keyspace section. */
export interface KeyspaceDb {
  db: number;
  keys: number;
  expires: number;
  avgTtlMs: number;
}

/** The keyspace section: `db0:keys=10,expires=2,avg_ttl=1234`. */
export function keyspaceOf(info: Info): KeyspaceDb[] {
  return Object.entries(info)
    .filter(([field]) => /^db\d+$/.test(field))
    .map(([field, value]) => {
      const fields = parseFields(value);
      return { db: Number(field.slice(2)), keys: Number(fields.keys ?? 0), expires: Number(fields.expires ?? 0), avgTtlMs: Number(fields.avg_ttl ?? 0) };
    });
}

/** A replica as its master sees it (`slave0:ip=…,port=…,state=online,offset=…,lag=0`). */
export interface ReplicaView {
  address: string;
  state: string;
  offset: number;
  lagSeconds: number;
}

/** The master's view of its replicas. */
export function replicasOf(info: Info): ReplicaView[] {
  return Object.entries(info)
    .filter(([field]) => /^slave\d+$/.test(field))
    .map(([, value]) => {
      const fields = parseFields(value);
      return {
        address: `${fields.ip ?? '?'}:${fields.port ?? '?'}`,
        state: fields.state ?? 'unknown',
        offset: Number(fields.offset ?? 0),
        lagSeconds: Number(fields.lag ?? 0),
      };
    });
}

/** Bytes as people read them: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1_024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1_024;
  let unit = 0;
  while (value >= 1_024 && unit < units.length - 1) {
    value /= 1_024;
    unit += 1;
  }
  return `${value.toFixed(value >= 10 ? 0 : 1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** A ratio as a percentage: `0.934` → `93%`. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 1_000) / 10}%`;
}
