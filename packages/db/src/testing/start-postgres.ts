import { ProbeError, ProbeErrorCode } from '@probe/core';

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /** Use this server (default: `$DATABASE_URL`, then a container where a Docker engine runs). */
  url?: string;
  /** The image testcontainers starts (default `postgres:16-alpine`). */
  image?: string;
}

/** A PostgreSQL to test against. */
export interface StartedPostgres {
  url: string;
  /** Where it came from. */
  source: 'url' | 'container';
  /** Stop it (a no-op for a given URL). */
  stop(): Promise<void>;
}

/**
 * A PostgreSQL for a test run: the given URL (or `$DATABASE_URL`), else a
 * testcontainers PostgreSQL where a Docker engine runs. Without either it
 * fails at once (the runtime check takes milliseconds) with what to do;
 * `startLocalPostgres()` is the way where PostgreSQL's binaries are installed.
 * Needs the optional peer dependency `@testcontainers/postgresql` for containers.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<StartedPostgres> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return { url, source: 'url', stop: async () => {} };
  let modules: [typeof import('testcontainers'), typeof import('@testcontainers/postgresql')];
  try {
    modules = await Promise.all([import('testcontainers'), import('@testcontainers/postgresql')]);
  } catch (error) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `no PostgreSQL to test against: no url, no DATABASE_URL, and testcontainers is not installed (${(error as Error).message.split('\n')[0]})`, {
      hint: 'pass url, set DATABASE_URL, install @testcontainers/postgresql where Docker runs, or use startLocalPostgres()',
    });
  }
  const [{ getContainerRuntimeClient }, { PostgreSqlContainer }] = modules;
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `no PostgreSQL to test against: no url, no DATABASE_URL, and no container runtime (${(error as Error).message})`, {
      hint: 'pass url, set DATABASE_URL, start a Docker engine, or use startLocalPostgres() where PostgreSQL is installed',
    });
  }
  const container = await new PostgreSqlContainer(options.image ?? 'postgres:16-alpine').start();
  return { url: container.getConnectionUri(), source: 'container', stop: async () => { await container.stop(); } };
}
