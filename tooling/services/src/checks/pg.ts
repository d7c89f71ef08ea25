import pg from 'pg';

/** Ready when `select 1` answers. Rejects with pg's error (its `code` is kept, e.g. 3D000 for a missing database). */
export async function checkPg(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * When the server answers but the database in the URL does not exist (a fresh
 * cluster has no `test`), creates it. Returns whether it did.
 */
export async function createMissingDatabase(url: string, error: unknown, timeoutMs: number): Promise<boolean> {
  if ((error as { code?: string }).code !== '3D000') return false;
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  if (!database) return false;
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`create database "${database.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}
