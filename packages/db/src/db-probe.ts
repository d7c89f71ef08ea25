import { parseOptions, secretsOfUrl, type Check, type Probe } from '@probe/core';
import { activityCheck } from './checks/activity.ts';
import { connectivityCheck } from './checks/connectivity.ts';
import { consistencyCheck } from './checks/consistency.ts';
import { constraintWritesCheck } from './checks/constraint-writes.ts';
import { credentialsCheck } from './checks/credentials.ts';
import { crudCheck } from './checks/crud.ts';
import { declaredConstraintsCheck } from './checks/declared-constraints.ts';
import { executionCheck } from './checks/execution.ts';
import { foreignKeyIndexesCheck } from './checks/foreign-key-indexes.ts';
import { indexUsageCheck } from './checks/index-usage.ts';
import { invalidObjectsCheck } from './checks/invalid-objects.ts';
import { migrationsCheck } from './checks/migrations.ts';
import { performanceCheck } from './checks/performance.ts';
import { poolingCheck } from './checks/pooling.ts';
import { primaryKeysCheck } from './checks/primary-keys.ts';
import { reconnectionCheck } from './checks/reconnection.ts';
import { relationshipsCheck } from './checks/relationships.ts';
import { stabilityCheck } from './checks/stability.ts';
import { transactionsCheck } from './checks/transactions.ts';
import { triggersCheck } from './checks/triggers.ts';
import { toDbError } from './errors.ts';
import { optionsSchema, toSettings, type Settings } from './options.ts';
import { closeResources, openResources, type DbResources } from './resources.ts';
import type { PostgresOptions } from './types.ts';

const CONNECTIVITY = 'db.connection.connectivity';

/** Every check, in run order, for parsed settings. */
function checksFor(settings: Settings): Check<DbResources>[] {
  return [
    connectivityCheck(),
    credentialsCheck(),
    poolingCheck(),
    reconnectionCheck(),
    stabilityCheck(),
    crudCheck(),
    transactionsCheck(),
    constraintWritesCheck(),
    performanceCheck(settings.queries),
    indexUsageCheck(settings.queries),
    executionCheck(),
    activityCheck(),
    primaryKeysCheck(),
    foreignKeyIndexesCheck(),
    invalidObjectsCheck(),
    declaredConstraintsCheck(),
    relationshipsCheck(),
    triggersCheck(settings.triggers),
    ...(settings.migrations ? [migrationsCheck(settings.migrations)] : []),
    consistencyCheck(),
  ];
}

/** Every check but connectivity needs it, and reports driver errors with stable codes. */
function wired(check: Check<DbResources>): Check<DbResources> {
  return {
    ...check,
    ...(check.id === CONNECTIVITY ? {} : { needs: [CONNECTIVITY, ...(check.needs ?? [])] }),
    run: async (context) => {
      try {
        return await check.run(context);
      } catch (error) {
        throw context.signal.aborted ? context.signal.reason : toDbError(error);
      }
    },
  };
}

/** `<host>/<database>` of a URL, for the target's name. */
function nameOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname || '/'}`;
  } catch {
    return 'postgres';
  }
}

/**
 * A probe of one PostgreSQL database: connection, queries, constraints,
 * indexes, triggers, migrations and consistency, each answering items of the
 * integration checklist. Invalid options give a probe that carries `issues`
 * (the runner reports them and runs nothing).
 *
 * @example
 * postgres({ url: process.env.DATABASE_URL!, expect: { unique: ['users.email'] } })
 */
export function postgres(options: PostgresOptions): Probe<DbResources> {
  const url = typeof options?.url === 'string' ? options.url : '';
  const target = { kind: 'postgres', name: typeof options?.name === 'string' ? options.name : nameOf(url), url };
  const secrets = secretsOfUrl(url);
  const parsed = parseOptions(optionsSchema, options);
  if (!parsed.ok) return { target, checks: [], secrets, issues: parsed.issues };
  const settings = toSettings(parsed.value);
  return {
    target,
    secrets,
    checks: checksFor(settings).map(wired),
    setup: (context) => openResources(settings, context),
    teardown: (context, resources) => closeResources(resources, context.signal),
  };
}
