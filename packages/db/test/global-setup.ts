import { servicesGlobalSetup } from '@probe/services';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres, type LocalPostgres } from '../src/testing/local-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * A private cluster that enforces passwords (scram-sha-256 over TCP) and preloads
     * pg_stat_statements, as the superuser's URL; undefined where it could not start.
     */
    privatePg: { url: string; password: string } | { error: string };
  }
}

/** The password of the private cluster's superuser (a fixture, not a secret). */
const PASSWORD = 'probe-private-secret';

let cluster: LocalPostgres | undefined;

/** PostgreSQL from tooling/services (PROBE_PG_URL), plus a private cluster of our own for what the shared one cannot show. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  await servicesGlobalSetup(['pg'])(project);
  try {
    cluster = await startLocalPostgres({
      password: PASSWORD,
      settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all', max_connections: '40' },
    });
    project.provide('privatePg', { url: cluster.url, password: PASSWORD });
  } catch (error) {
    if (process.env.CI) throw error;
    project.provide('privatePg', { error: (error as Error).message });
  }
  return async () => {
    await cluster?.stop();
  };
}
