import { execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { sleep } from './wait.ts';

/** The path of an executable on PATH (or in the sbin folders root uses), or undefined. */
export function findExecutable(name: string): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const folder of folders) {
    if (!folder) continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether a process with this id exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** When a process started, in clock ticks since boot (/proc/<pid>/stat field 22), or undefined. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) || undefined;
  } catch {
    return undefined;
  }
}

/** The command line of a live process, NUL-separated arguments joined with spaces ('' when unknown). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Result of `run`. */
export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a command to completion with a time limit; never rejects on a non-zero exit. */
export function run(file: string, args: string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs, env: options.env ?? process.env, cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const output = `${stdout}${stderr}`.trim() || (error && !error.code ? error.message : '');
        resolve({ code, output });
      },
    );
  });
}

/** A process started in its own session, outliving this one, with stdout and stderr appended to `logFile`. */
export interface DetachedProcess {
  pid: number;
  /** Why it exited, once it has (exit code or signal), else undefined. */
  exited: () => string | undefined;
  /** Stop watching it so this process can exit. */
  release: () => void;
}

/** Starts `file args…` detached (setsid), logging to `logFile`. */
export function spawnDetached(file: string, args: string[], options: { logFile: string; cwd?: string; env?: NodeJS.ProcessEnv }): DetachedProcess {
  const log = openSync(options.logFile, logSize(options.logFile) > 5_000_000 ? 'w' : 'a'); // bounded: restart the log past 5 MB
  const child = spawn(file, args, { detached: true, stdio: ['ignore', log, log], cwd: options.cwd, env: options.env ?? process.env });
  closeSync(log);
  let exit: string | undefined;
  child.on('exit', (code, signal) => {
    exit = signal ? `it was killed by ${signal}` : `it exited with code ${code}`;
  });
  child.on('error', (error) => {
    exit = `it could not be started: ${error.message}`;
  });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  return {
    pid: child.pid,
    exited: () => exit,
    release: () => child.unref(),
  };
}

function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Sends `signal`, waits up to `timeoutMs` for the process to go, then SIGKILLs it. Returns how it ended. */
export async function terminate(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<'stopped' | 'killed' | 'gone'> {
  try {
    process.kill(pid, signal);
    process.kill(pid, 'SIGCONT'); // a stopped (SIGSTOP) process handles the signal only once continued
  } catch {
    return 'gone';
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'stopped';
  }
  return 'killed';
}

/** The last `lines` lines of a text file, Java stack frames left out ('' when unreadable). */
export function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((line) => !/^\s+(at |\.\.\. \d+ more)/.test(line))
      .slice(-lines)
      .join('\n');
  } catch {
    return '';
  }
}
