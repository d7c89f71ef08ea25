import type { SourceLoader } from './options.ts';

/**
 * Anything that runs a parameterised SQL query: a `pg` Pool or Client, or the
 * pool @probe/db opens. Only `query(text, values)` resolving to `{ rows }` is used.
 */
export interface SqlQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Options of {@link sqlSource}. */
export interface SqlSourceOptions {
  /** The query's parameters for a cached key: `(key) => [key.split(':')[1]]`. */
  params: (key: string) => unknown[];
  /**
   * What the cache should hold, from the first row: by default the row itself
   * when it has several columns, or the single column's value.
   */
  pick?: (row: Record<string, unknown>) => unknown;
}

/**
 * A `sourceOfTruth` loader backed by SQL: for each sampled cache key, run
 * `text` with `params(key)` and compare the cache with the first row (no row:
 * the record is gone, so the cached entry is stale).
 *
 * ```ts
 * redis({ url, sourceOfTruth: [{
 *   pattern: 'user:*',
 *   load: sqlSource(pool, 'select id, name, email from users where id = $1', { params: (key) => [key.slice(5)] }),
 * }] })
 * ```
 */
export function sqlSource(database: SqlQueryable, text: string, options: SqlSourceOptions): SourceLoader {
  return async (key) => {
    const { rows } = await database.query(text, options.params(key));
    const row = rows[0];
    if (!row) return undefined;
    if (options.pick) return options.pick(row);
    const values = Object.values(row);
    return values.length === 1 ? values[0] : row;
  };
}
