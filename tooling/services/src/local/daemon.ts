import { isAlive, run } from '../process.ts';
import type { Ownership } from '../types.ts';
import { errorMessage, pollUntil } from '../wait.ts';
import type { StartContext } from './starter.ts';

/** How to start a server whose own start command daemonizes it (pg_ctlcluster, rabbitmq-server -detached). */
export interface DaemonCommand {
  file: string;
  args: string[];
  /** The server's pid once it answers (from its pid file), or undefined. */
  pid: () => number | undefined;
  /** Command-line fragment that identifies the server process. */
  match: string;
  stopSignal?: NodeJS.Signals;
  /** Where its own log is, for error messages. */
  logHint: string;
}

/**
 * Runs the start command, then polls readiness. A start command that fails
 * because the server already runs (still booting) is fine: readiness decides.
 * The record names the server's pid, so `down` stops it and nothing else.
 */
export async function daemonizeAndWait(context: StartContext, command: DaemonCommand): Promise<Ownership> {
  const started = Date.now();
  const result = await run(command.file, command.args, { timeoutMs: context.timeoutMs });
  if (result.code !== 0) context.log(`${context.name}: ${command.file} exited ${result.code}: ${result.output.split('\n')[0] ?? ''}`);
  const remaining = Math.max(1_000, context.timeoutMs - (Date.now() - started));
  try {
    await pollUntil(() => context.ready(context.url, 2_000), { what: context.name, timeoutMs: remaining, intervalMs: 300 });
  } catch (error) {
    throw new Error(`${errorMessage(error)}; start command said: ${result.output.slice(0, 400) || '(nothing)'}; see ${command.logHint}`);
  }
  const pid = command.pid();
  return {
    name: context.name,
    kind: 'process',
    pid: pid !== undefined && isAlive(pid) ? pid : undefined,
    match: command.match,
    stopSignal: command.stopSignal,
    url: context.url,
    startedAt: new Date(started).toISOString(),
    startMs: Date.now() - started,
  };
}
