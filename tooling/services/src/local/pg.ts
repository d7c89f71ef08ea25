import { readdirSync, readFileSync } from 'node:fs';
import { findExecutable } from '../process.ts';
import { daemonizeAndWait } from './daemon.ts';
import type { LocalStarter } from './starter.ts';

function clusterVersion(): string | undefined {
  try {
    return readdirSync('/etc/postgresql').sort().at(-1);
  } catch {
    return undefined;
  }
}

function postmasterPid(version: string): number | undefined {
  try {
    return Number(readFileSync(`/var/run/postgresql/${version}-main.pid`, 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** The Debian cluster `<version>/main` (on 5432), started with pg_ctlcluster. */
export const pgStarter: LocalStarter = {
  unavailable: () => {
    if (!findExecutable('pg_ctlcluster')) return 'PostgreSQL is not installed (Debian: apt-get install postgresql)';
    if (!clusterVersion()) return 'no PostgreSQL cluster under /etc/postgresql (Debian: pg_createcluster 15 main)';
    return undefined;
  },
  start: (context) => {
    const version = clusterVersion()!;
    return daemonizeAndWait(context, {
      file: findExecutable('pg_ctlcluster')!,
      args: ['--skip-systemctl-redirect', version, 'main', 'start'],
      pid: () => postmasterPid(version),
      match: 'postgres',
      stopSignal: 'SIGINT', // fast shutdown
      logHint: `/var/log/postgresql/postgresql-${version}-main.log`,
    });
  },
};
