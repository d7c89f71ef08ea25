import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../paths.ts';
import { spawnDetached, tail, terminate } from '../process.ts';
import type { LogLine, Ownership, ServiceName } from '../types.ts';
import { pollUntil } from '../wait.ts';

/** What a starter gets: where the service must answer and how to tell it does. */
export interface StartContext {
  name: ServiceName;
  url: string;
  log: LogLine;
  /** Bound on the whole start, readiness included. */
  timeoutMs: number;
  /** The service's readiness check, polled until it passes. */
  ready: (url: string, timeoutMs: number) => Promise<void>;
}

/** Starts one service as a process on this machine. */
export interface LocalStarter {
  /** Why this machine cannot start it (e.g. the server is not installed), or undefined when it can. */
  unavailable(): string | undefined;
  /** Starts it and resolves once it answers, with the record `down` needs. */
  start(context: StartContext): Promise<Ownership>;
}

/** `<state>/<name>.log`, and `<state>/<name>/` created for its data. */
export function serviceFiles(name: string): { logFile: string; dataDir: string } {
  const dataDir = join(stateDir(), name);
  mkdirSync(dataDir, { recursive: true });
  return { logFile: join(stateDir(), `${name}.log`), dataDir };
}

/** Spawns a server in the foreground of its own session and waits until it answers. */
export async function spawnAndWait(
  context: StartContext,
  command: { file: string; args: string[]; match: string; stopSignal?: NodeJS.Signals; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<Ownership> {
  const { logFile } = serviceFiles(context.name);
  const started = Date.now();
  const child = spawnDetached(command.file, command.args, { logFile, cwd: command.cwd, env: command.env });
  try {
    await pollUntil(() => context.ready(context.url, 2_000), {
      what: `${context.name} (pid ${child.pid})`,
      timeoutMs: context.timeoutMs,
      intervalMs: 100,
      abort: () => {
        const exit = child.exited();
        return exit && `${exit}; the end of ${logFile}:\n${tail(logFile)}`;
      },
    });
  } catch (error) {
    if (!child.exited()) await terminate(child.pid, 'SIGKILL', 5_000); // gone before anyone reuses its port or data
    throw error;
  } finally {
    child.release();
  }
  return {
    name: context.name,
    kind: 'process',
    pid: child.pid,
    match: command.match,
    stopSignal: command.stopSignal,
    url: context.url,
    startedAt: new Date(started).toISOString(),
    startMs: Date.now() - started,
  };
}
