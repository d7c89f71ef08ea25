import type { Check } from '@probe/core';
import type pg from 'pg';
import { ITEMS } from '../checklist.ts';
import { toDbError } from '../errors.ts';
import { count, listOf } from '../evidence.ts';
import { NODE_PG_MIGRATE_TABLE, nodePgMigrateSteps, sqlSteps, type MigrationStep } from '../migrations/steps.ts';
import { describeDiff, diffSnapshots, isEmptyDiff, schemasOf, shownDiff, takeSnapshot, type SchemaDiff, type Snapshot } from '../migrations/snapshot.ts';
import type { Settings } from '../options.ts';
import { quoteIdent } from '../refs.ts';
import { session, type DbContext, type DbResources } from '../resources.ts';
import { connectClient, sessionConfig, type Queryable } from '../session.ts';

/** Where the round trip broke. */
interface Break {
  migration: string;
  phase: 'up' | 'down' | 'second up';
  problem: string;
  diff?: SchemaDiff & { more?: number };
}

/** The result of the round trip in the scratch database. */
interface RoundTrip {
  migrations: string[];
  /** The snapshot after each prefix of migrations: `after[0]` is the empty base. */
  after: Snapshot[];
  broken?: Break;
}

/**
 * `db.integrity.migrations`: in a scratch database (`probe_<runId>_migrations`,
 * created from template0 and dropped afterwards), apply each migration, revert
 * it, and apply it again: the down must restore the schema exactly (catalog
 * snapshot) and the second up must produce the same schema as the first. Then
 * compare the migrated schema with the live database's: unapplied migrations
 * warn, drift (objects that differ from what the migrations produce) fails.
 */
export function migrationsCheck(migrations: NonNullable<Settings['migrations']>): Check<DbResources> {
  return {
    id: 'db.integrity.migrations',
    title: 'Migrations apply, revert and re-apply cleanly; the live schema matches them',
    checklist: [ITEMS.migrations, ITEMS.setupMigrations],
    writes: true,
    slow: true,
    timeoutMs: migrations.timeoutMs,
    async run(context) {
      const steps = migrations.format === 'sql' ? await sqlSteps(migrations.dir) : await nodePgMigrateSteps(migrations.dir);
      if (steps.length === 0) return { status: 'fail', summary: `no migrations found in ${migrations.dir}`, evidence: { dir: migrations.dir, format: migrations.format } };
      const historyTable = migrations.table ?? (migrations.format === 'node-pg-migrate' ? NODE_PG_MIGRATE_TABLE : undefined);
      const trip = await inScratchDatabase(context, (client) => roundTrip(client, steps, historyTable));
      context.metric('migrations', steps.length, 'count');
      const evidence: Record<string, unknown> = { format: migrations.format, migrations: trip.migrations };
      if (trip.broken) {
        const { migration, phase, problem, diff } = trip.broken;
        return { status: 'fail', summary: `migration ${migration}: ${phase} ${problem}${diff ? `: ${describeDiff(diff)}` : ''}`, evidence: { ...evidence, broken: trip.broken } };
      }
      const live = await session(context, (client) => compareWithLive(client, trip, historyTable));
      Object.assign(evidence, live.evidence);
      if (live.drift && !isEmptyDiff(live.drift)) {
        return { status: 'fail', summary: `${steps.length} migrations round-trip cleanly, but the live schema drifts from ${live.comparedWith}: ${describeDiff(live.drift)}`, evidence };
      }
      if (live.unknown.length > 0) {
        return { status: 'fail', summary: `the live database ran migrations that are not on disk: ${listOf(live.unknown)}`, evidence };
      }
      if (live.pending.length > 0) {
        return { status: 'warn', summary: `${steps.length} migrations round-trip cleanly; ${count(live.pending.length, 'migration')} not applied on the live database yet: ${listOf(live.pending)}`, evidence };
      }
      return { status: 'pass', summary: `${count(steps.length, 'migration')} applied, reverted and re-applied cleanly; the live schema matches ${live.comparedWith}`, evidence };
    },
  };
}

/** Create the scratch database, run `task` connected to it, drop it again (teardown drops it too, after an abort). */
async function inScratchDatabase<T>(context: DbContext, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const { resources } = context;
  const name = quoteIdent(resources.scratchDatabase);
  resources.created.database = true;
  await session(context, (client) => client.query(`create database ${name} template template0`));
  const url = new URL(resources.settings.url);
  url.pathname = `/${resources.scratchDatabase}`;
  // The scratch database is the probe's own: a generous statement timeout, nobody else's locks to wait for.
  const config = sessionConfig(url.toString(), context.runId, { statementTimeoutMs: resources.settings.migrations!.timeoutMs, lockTimeoutMs: 5_000 });
  let client: pg.Client | undefined;
  try {
    client = await connectClient(config, context.signal);
    return await task(client);
  } catch (error) {
    throw context.signal.aborted ? context.signal.reason : toDbError(error, 'in the scratch database');
  } finally {
    await client?.end().catch(() => {});
    await session(context, (admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => { resources.created.database = false; }, () => {});
  }
}

async function roundTrip(client: pg.Client, steps: MigrationStep[], historyTable: string | undefined): Promise<RoundTrip> {
  const snapshot = () => takeSnapshot(client, null, historyTable);
  const after: Snapshot[] = [await snapshot()];
  const migrations = steps.map((step) => step.id);
  const broke = (migration: string, phase: Break['phase'], problem: string, diff?: SchemaDiff): RoundTrip =>
    ({ migrations, after, broken: { migration, phase, problem, ...(diff ? { diff: shownDiff(diff) } : {}) } });
  for (const step of steps) {
    const before = after.at(-1)!;
    const failed = async (action: () => Promise<void>) => action().then(() => undefined, (error: unknown) => `failed: ${(error as Error).message}`);
    let problem = await failed(() => step.up(client));
    if (problem) return broke(step.id, 'up', problem);
    const applied = await snapshot();
    if (!step.down) return broke(step.id, 'down', 'is missing: the migration cannot be reverted');
    problem = await failed(() => step.down!(client));
    if (problem) return broke(step.id, 'down', problem);
    const reverted = diffSnapshots(before, await snapshot());
    if (!isEmptyDiff(reverted)) return broke(step.id, 'down', 'did not restore the schema', reverted);
    problem = await failed(() => step.up(client));
    if (problem) return broke(step.id, 'second up', problem);
    const again = diffSnapshots(applied, await snapshot());
    if (!isEmptyDiff(again)) return broke(step.id, 'second up', 'produced a different schema than the first', again);
    after.push(applied);
  }
  return { migrations, after };
}

/** Applied migration names from the live history table, or undefined when there is none. */
async function appliedOnLive(client: Queryable, table: string): Promise<string[] | undefined> {
  const { rows: [found] } = await client.query<{ columns: string[] | null }>(
    `select array(select attname::text from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped) as columns
      where to_regclass($1) is not null`,
    [table],
  );
  if (!found?.columns) return undefined;
  const column = ['name', 'version', 'id'].find((candidate) => found.columns!.includes(candidate));
  if (!column) return undefined;
  const { rows } = await client.query<{ value: string }>(`select ${quoteIdent(column)}::text as value from ${quoteIdent(table)} order by 1`);
  return rows.map((row) => row.value);
}

/** Whether a history entry names a migration: the same id, or the same leading version number. */
function sameMigration(entry: string, id: string): boolean {
  if (entry === id) return true;
  const version = /^\d+/.exec(id)?.[0];
  return version !== undefined && /^\d+$/.test(entry) && BigInt(entry) === BigInt(version);
}

async function compareWithLive(client: Queryable, trip: RoundTrip, historyTable: string | undefined) {
  const applied = historyTable ? await appliedOnLive(client, historyTable) : undefined;
  const pending = applied ? trip.migrations.filter((id) => !applied.some((entry) => sameMigration(entry, id))) : [];
  const unknown = applied ? applied.filter((entry) => !trip.migrations.some((id) => sameMigration(entry, id))) : [];
  // Compare with the state after the applied prefix, so unapplied migrations do not show up as drift.
  const prefix = applied ? trip.migrations.findIndex((id) => pending.includes(id)) : -1;
  const index = prefix === -1 ? trip.migrations.length : prefix;
  const expected = trip.after[index]!;
  const comparedWith = index === trip.migrations.length ? 'the migrations' : `the migrations up to ${trip.migrations[index - 1] ?? '(none)'}`;
  const full = trip.after.at(-1)!;
  const schemas = schemasOf(full);
  const live = schemas.length ? await takeSnapshot(client, schemas, historyTable) : undefined;
  // Extensions the live database has beyond those the migrations create (pg_stat_statements, …) are not drift.
  for (const key of live?.keys() ?? []) if (key.startsWith('extension ') && !expected.has(key)) live!.delete(key);
  const drift = live && diffSnapshots(expected, live);
  return {
    pending, unknown, drift, comparedWith,
    evidence: {
      history: historyTable ? (applied ? { table: historyTable, applied: applied.length } : { table: historyTable, found: false }) : 'none configured',
      compared_schemas: schemas,
      ...(drift && !isEmptyDiff(drift) ? { drift: shownDiff(drift) } : {}),
      ...(pending.length ? { pending } : {}),
      ...(unknown.length ? { not_on_disk: unknown } : {}),
    },
  };
}
