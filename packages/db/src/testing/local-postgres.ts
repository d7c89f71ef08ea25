import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Options of {@link startLocalPostgres}. */
export interface LocalPostgresOptions {
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** The superuser's password. With one, TCP connections need it (scram-sha-256); without, they are trusted. */
  password?: string;
  /** Server settings (`-c name=value`), e.g. `{ shared_preload_libraries: 'pg_stat_statements' }`. */
  settings?: Record<string, string>;
  /** Folder of initdb and pg_ctl (default: the newest /usr/lib/postgresql/<version>/bin, else PATH). */
  binDir?: string;
}

/** A throwaway PostgreSQL cluster. */
export interface LocalPostgres {
  /** `postgres://postgres[:password]@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** Its data directory (removed by `stop`). */
  dataDir: string;
  /** Stop the server and remove its data directory. */
  stop(): Promise<void>;
}

function binDirectory(): string | undefined {
  try {
    const versions = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
    const dir = versions.length ? `/usr/lib/postgresql/${versions.at(-1)}/bin` : undefined;
    return dir && existsSync(join(dir, 'initdb')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no "postgres" user to run the server as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start a private, throwaway PostgreSQL from the machine's own binaries (initdb
 * + pg_ctl, about a second; fsync off), on 127.0.0.1 only. For tests that need
 * a server of their own: one that enforces passwords, preloads
 * pg_stat_statements, or may be restarted.
 */
export async function startLocalPostgres(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
  const bin = options.binDir ?? binDirectory();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  const user = serverUser();
  const port = options.port ?? await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'probe-pg-'));
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  if (user) await chown(dataDir, user.uid, user.gid);
  const cluster = join(dataDir, 'data');
  const initdb = ['-D', cluster, '-U', 'postgres', '--no-sync', '--auth-local=trust'];
  if (options.password) {
    const file = join(dataDir, 'pwfile');
    await writeFile(file, options.password, { mode: 0o600 });
    if (user) await chown(file, user.uid, user.gid);
    initdb.push('--auth-host=scram-sha-256', `--pwfile=${file}`);
  } else {
    initdb.push('--auth-host=trust');
  }
  const stop = async () => {
    await run(tool('pg_ctl'), ['-D', cluster, '-m', 'immediate', '-w', 'stop'], { ...as, cwd: dataDir }).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await run(tool('initdb'), initdb, { ...as, cwd: dataDir });
    await chmod(dataDir, 0o700);
    const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: dataDir, fsync: 'off', full_page_writes: 'off', ...options.settings };
    const flags = Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(' ');
    await run(tool('pg_ctl'), ['-D', cluster, '-l', join(dataDir, 'log'), '-w', '-t', '30', '-o', flags, 'start'], { ...as, cwd: dataDir });
  } catch (error) {
    const log = existsSync(join(dataDir, 'log')) ? readFileSync(join(dataDir, 'log'), 'utf8').slice(-500) : '';
    await stop();
    throw new Error(`could not start a local PostgreSQL: ${(error as Error).message.split('\n')[0]}${log ? `\n${log}` : ''}`);
  }
  const credentials = options.password ? `postgres:${encodeURIComponent(options.password)}` : 'postgres';
  return { url: `postgres://${credentials}@127.0.0.1:${port}/postgres`, port, dataDir, stop };
}
