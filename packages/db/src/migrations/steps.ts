import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ProbeError, ProbeErrorCode } from '@probe/core';
import type pg from 'pg';

/** One migration the round trip can apply and revert, in order. */
export interface MigrationStep {
  /** The file name without its extension(s): `003_add_orders`. */
  id: string;
  up(client: pg.Client): Promise<void>;
  /** Undefined when the migration has no down part. */
  down?: (client: pg.Client) => Promise<void>;
}

/** Run a migration's SQL in a transaction, unless it needs to run outside one (CREATE INDEX CONCURRENTLY, …). */
async function runSql(client: pg.Client, sql: string): Promise<void> {
  if (/\b(concurrently|alter\s+system|vacuum)\b/i.test(sql)) {
    await client.query(sql);
    return;
  }
  await client.query('begin');
  try {
    await client.query(sql);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/** `-- migrate:up` / `-- migrate:down` (dbmate) or `-- Up Migration` / `-- Down Migration` (node-pg-migrate SQL files). */
const UP_MARKER = /^--\s*(migrate:up|up migration)\b.*$/im;
const DOWN_MARKER = /^--\s*(migrate:down|down migration)\b.*$/im;

/** Split one file with up and down sections. */
function sections(text: string): { up: string; down?: string } | undefined {
  const up = UP_MARKER.exec(text);
  if (!up) return undefined;
  const afterUp = text.slice(up.index + up[0].length);
  const down = DOWN_MARKER.exec(afterUp);
  if (!down) return { up: afterUp };
  return { up: afterUp.slice(0, down.index), down: afterUp.slice(down.index + down[0].length) };
}

/**
 * SQL migrations from a folder, in file-name order: `NAME.up.sql` with
 * `NAME.down.sql` (golang-migrate style), or one `NAME.sql` with up and down
 * sections (dbmate / node-pg-migrate SQL style).
 */
export async function sqlSteps(dir: string): Promise<MigrationStep[]> {
  const folder = resolve(dir);
  const files = (await readdir(folder).catch((error: unknown) => {
    throw new ProbeError(ProbeErrorCode.CONFIG, `migrations.dir ${folder} cannot be read: ${(error as Error).message}`);
  })).filter((file) => file.endsWith('.sql') && !file.startsWith('.')).sort();
  const byId = new Map<string, { up?: string; down?: string }>();
  for (const file of files) {
    const text = await readFile(join(folder, file), 'utf8');
    const pair = /^(.*)\.(up|down)\.sql$/.exec(file);
    if (pair) {
      const entry = byId.get(pair[1]!) ?? {};
      entry[pair[2] as 'up' | 'down'] = text;
      byId.set(pair[1]!, entry);
      continue;
    }
    const split = sections(text);
    byId.set(basename(file, '.sql'), split ?? { up: text });
  }
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, entry]) => {
    if (entry.up === undefined) throw new ProbeError(ProbeErrorCode.CONFIG, `migration ${id} has a down part but no up part`);
    const { up, down } = entry;
    return { id, up: (client) => runSql(client, up), ...(down !== undefined && down.trim() !== '' ? { down: (client: pg.Client) => runSql(client, down) } : {}) };
  });
}

/** The node-pg-migrate history table. */
export const NODE_PG_MIGRATE_TABLE = 'pgmigrations';

/**
 * node-pg-migrate migrations, run one at a time through node-pg-migrate's own
 * runner (`count: 1` up or down), so JS/TS migrations using its builder API
 * behave exactly as in the application's deploys. node-pg-migrate must be installed.
 */
export async function nodePgMigrateSteps(dir: string): Promise<MigrationStep[]> {
  let runner: typeof import('node-pg-migrate').runner;
  try {
    ({ runner } = await import('node-pg-migrate'));
  } catch (error) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `migrations.format "node-pg-migrate" needs the node-pg-migrate package: ${(error as Error).message}`, { hint: 'npm install --save-dev node-pg-migrate' });
  }
  const folder = resolve(dir);
  const files = (await readdir(folder).catch((error: unknown) => {
    throw new ProbeError(ProbeErrorCode.CONFIG, `migrations.dir ${folder} cannot be read: ${(error as Error).message}`);
  })).filter((file) => !file.startsWith('.') && /\.(c|m)?(j|t)s$|\.sql$/.test(file)).sort();
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const step = (direction: 'up' | 'down') => async (client: pg.Client) => {
    const ran = await runner({
      dbClient: client, dir: folder, direction, count: 1, migrationsTable: NODE_PG_MIGRATE_TABLE,
      checkOrder: false, noLock: true, singleTransaction: true, logger: silent, verbose: false,
    });
    if (ran.length !== 1) throw new Error(`node-pg-migrate ran ${ran.length} migrations ${direction} instead of 1`);
  };
  return files.map((file) => ({ id: file.replace(/\.[^.]+$/, ''), up: step('up'), down: step('down') }));
}
