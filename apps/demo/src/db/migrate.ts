import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** The service's migrations: `NNNN_name.up.sql` / `NNNN_name.down.sql`, applied in name order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The history table: one row per applied migration, named as its files are. */
export const HISTORY_TABLE = 'schema_migrations';

interface Migration {
  name: string;
  up: string;
  down: string;
}

async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.up.sql')).sort();
  return Promise.all(files.map(async (file) => {
    const name = file.slice(0, -'.up.sql'.length);
    return { name, up: await readFile(`${dir}/${file}`, 'utf8'), down: await readFile(`${dir}/${name}.down.sql`, 'utf8') };
  }));
}

/**
 * Bring the schema to "every migration applied except `leaveOut`": apply what is
 * pending (in order), revert what is applied but left out (newest first). Each
 * migration runs in its own transaction, under an advisory lock so two starting
 * instances do not race. Returns what it did.
 */
export async function migrate(pool: pg.Pool, options: { dir?: string; leaveOut?: string[] } = {}): Promise<{ applied: string[]; reverted: string[] }> {
  const migrations = await readMigrations(options.dir ?? MIGRATIONS_DIR);
  const leaveOut = new Set(options.leaveOut ?? []);
  const client = await pool.connect();
  const done = { applied: [] as string[], reverted: [] as string[] };
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [HISTORY_TABLE]);
    await client.query(`create table if not exists ${HISTORY_TABLE} (name text primary key, applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ name: string }>(`select name from ${HISTORY_TABLE}`);
    const applied = new Set(rows.map((row) => row.name));
    const inTransaction = async (sql: string, record: string, values: unknown[]) => {
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query(record, values);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    };
    for (const migration of [...migrations].reverse()) {
      if (!leaveOut.has(migration.name) || !applied.has(migration.name)) continue;
      await inTransaction(migration.down, `delete from ${HISTORY_TABLE} where name = $1`, [migration.name]);
      done.reverted.push(migration.name);
    }
    for (const migration of migrations) {
      if (leaveOut.has(migration.name) || applied.has(migration.name)) continue;
      await inTransaction(migration.up, `insert into ${HISTORY_TABLE} (name) values ($1)`, [migration.name]);
      done.applied.push(migration.name);
    }
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [HISTORY_TABLE]).catch(() => {});
    client.release();
  }
  return done;
}
