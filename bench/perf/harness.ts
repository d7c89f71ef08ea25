/**
 * What the perf benchmarks share: the machine's context (load average, versions), a
 * loopback nginx with one worker pinned to CPU 0, generators pinned to CPU 1 under
 * /usr/bin/time, and the CPU nobody in the run used ("foreign" CPU: other processes
 * on this machine). Traffic goes to 127.0.0.1 only; every run is bounded in time.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

/** `1.52 1.10 0.98` from /proc/loadavg. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** The tools a bench needs, or a message saying how to install the missing ones. */
export function missingTools(tools: string[]): string | undefined {
  const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length === 0) return undefined;
  return `skipped: ${missing.join(', ')} not installed. Install with: apt-get update && apt-get install -y wrk nginx time util-linux`;
}

/** Machine and versions, for the tables' context. */
export function machine(): Record<string, string> {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const version = (command: string, args: string[]) => {
    const out = spawnSync(command, args, { encoding: 'utf8' });
    return `${out.stdout}${out.stderr}`.split('\n')[0]!.trim();
  };
  const pkg = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')).version as string;
  return {
    machine: `${cpu}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} CPUs, kernel ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}`,
    node: process.version,
    wrk: version('wrk', ['-v']),
    nginx: version('nginx', ['-v']),
    autocannon: pkg('packages/perf/node_modules/autocannon/package.json'),
    undici: pkg('packages/perf/node_modules/undici/package.json'),
    '@probe/perf': pkg('packages/perf/package.json'),
  };
}

/** A loopback nginx (one worker, pinned to CPU 0) answering every request with a 2-byte 200. */
export interface Nginx {
  url: string;
  /** CPU ticks (1/100 s) its worker has used so far. */
  cpuTicks(): number;
  /** Stop nginx, wait for it to exit (at most 5 s), remove its files. */
  stop(): Promise<void>;
}

export async function startNginx(port = 18_080): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'probe-perf-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `worker_processes 1;
daemon on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; use epoll; multi_accept on; }
http {
  access_log off;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  client_body_temp_path ${dir};
  proxy_temp_path ${dir};
  fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir};
  scgi_temp_path ${dir};
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
`);
  execFileSync('taskset', ['-c', '0', 'nginx', '-c', conf, '-p', dir]);
  await waitForPort(port);
  const master = Number(readFileSync(join(dir, 'nginx.pid'), 'utf8').trim());
  const worker = Number(execFileSync('pgrep', ['-P', String(master)], { encoding: 'utf8' }).trim().split('\n')[0]);
  return {
    url: `http://127.0.0.1:${port}/`,
    cpuTicks: () => processTicks(worker),
    async stop() {
      try {
        process.kill(master, 'SIGTERM');
        // Until the master is gone its workers may still write (and recreate) files in the directory.
        for (let attempt = 0; attempt < 50 && alive(master); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after 5 s`);
}

/** utime + stime of a process, in clock ticks. */
export function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy ticks of the whole machine (user, nice, system, irq, softirq). */
export function machineBusyTicks(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return user! + nice! + system! + irq! + softirq!;
}

/**
 * Wait (at most `maxMs`) until the machine has been nearly idle (under `cores` of CPU busy) for one second, so a run
 * does not start in the middle of someone else's burst. Returns the busy cores of the last second seen.
 */
export async function waitForQuiet(maxMs = 10_000, cores = 0.25): Promise<number> {
  const started = performance.now();
  let busy = Number.POSITIVE_INFINITY;
  while (performance.now() - started < maxMs) {
    const before = machineBusyTicks();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    busy = (machineBusyTicks() - before) / 100;
    if (busy < cores) break;
  }
  return busy;
}

/** One generator run: its stdout, wall time and CPU (from /usr/bin/time), and the CPU others used meanwhile. */
export interface Timed {
  stdout: string;
  wallS: number;
  userS: number;
  sysS: number;
  /** Cores' worth of CPU used by processes other than the generator and nginx, on average. */
  foreignCores: number;
}

/** Run a generator pinned to CPU 1, under /usr/bin/time, bounded by `limitS`. */
export async function timed(command: string, args: string[], nginx: Nginx, limitS: number): Promise<Timed> {
  const timeFile = join(tmpdir(), `probe-perf-time-${process.pid}`);
  const busy0 = machineBusyTicks();
  const nginx0 = nginx.cpuTicks();
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, 'taskset', '-c', '1', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const killer = setTimeout(() => child.kill('SIGKILL'), limitS * 1_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`);
  const [wallS, userS, sysS] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
  rmSync(timeFile, { force: true });
  const foreignTicks = machineBusyTicks() - busy0 - (nginx.cpuTicks() - nginx0) - (userS + sysS) * 100;
  return { stdout, wallS, userS, sysS, foreignCores: Math.max(0, foreignTicks / 100 / wallS) };
}

export function median(values: number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `12,345`, `0.41`, `-`. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
