import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A config directive's value; an array passes several arguments (`replicaof: ['127.0.0.1', 6380]`). */
export type RedisConfigValue = string | number | readonly (string | number)[];

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /**
   * Extra redis.conf directives, passed on the command line:
   * `{ maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru', requirepass: 'secret' }`.
   * The defaults keep nothing on disk: `save ''`, `appendonly no`, a fresh temp `dir`.
   */
  config?: Record<string, RedisConfigValue>;
  /** The port to listen on (127.0.0.1); default: a free one. */
  port?: number;
  /** The redis-server executable (default `redis-server` on PATH). */
  binary?: string;
  /** Bound on the start, in ms (default 5 000). */
  startTimeoutMs?: number;
}

/** A private redis-server process started by {@link startRedisServer}. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, with `:<password>@` when `requirepass` is set. */
  url: string;
  host: string;
  port: number;
  /** The server's working directory (removed by `stop`). */
  dir: string;
  pid: number;
  /** The last lines the server logged (for failure messages). */
  log(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 200 ms) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const READY = 'Ready to accept connections';
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Start a private redis-server on 127.0.0.1 (about 30 ms): for tests that need
 * server settings a shared Redis must never get (maxmemory and an eviction
 * policy, a password, a slowlog threshold, replication, cluster mode). Nothing
 * is kept on disk; `stop()` ends the process and removes its directory, and a
 * process exit kills any server still running.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? 'redis-server';
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await spawnServer(binary, port, options);
    } catch (error) {
      lastError = error;
      // Another process took the free port between the probe and the bind: try a new one.
      if (options.port !== undefined || !/Address already in use/i.test(String(error))) break;
    }
  }
  throw lastError;
}

async function spawnServer(binary: string, port: number, options: RedisServerOptions): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'probe-redis-'));
  const config: Record<string, RedisConfigValue> = {
    bind: '127.0.0.1', port, save: '', appendonly: 'no', daemonize: 'no', dir, 'protected-mode': 'no',
    // A replica's first sync starts at once instead of after the 5 s default delay.
    'repl-diskless-sync-delay': 0, ...options.config,
  };
  const args = Object.entries(config).flatMap(([name, value]) => [`--${name}`, ...(Array.isArray(value) ? value : [value]).map(String)]);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  // Keep draining the pipes for the server's whole life: a full pipe would block its logging.
  child.stdout!.on('data', remember);
  child.stderr!.on('data', remember);
  track(child);

  const log = () => lines.join('\n');
  const stop = onceAsync(async () => {
    await terminate(child);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on port ${port} did not start within ${options.startTimeoutMs ?? 5_000} ms:\n${log()}`)), options.startTimeoutMs ?? 5_000);
      const onData = () => {
        if (!log().includes(READY)) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout!.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${binary}: ${error.message} (Debian: apt-get install redis-server)`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server on port ${port} exited (${signal ?? code}) before it was ready:\n${log()}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const password = config.requirepass === undefined ? '' : String(config.requirepass);
  return {
    url: `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    dir,
    pid: child.pid!,
    log,
    stop,
  };
}

/** A free TCP port on 127.0.0.1, as the OS hands it out for port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const process_ of running) process_.kill('SIGKILL');
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // A server whose shutdown save fails does not exit on SIGTERM; nothing in it is worth waiting for.
  const timer = setTimeout(() => child.kill('SIGKILL'), 200);
  await exited;
  clearTimeout(timer);
}

function onceAsync(action: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => (pending ??= action());
}
