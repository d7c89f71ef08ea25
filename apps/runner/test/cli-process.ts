import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built bin the real-process tests run. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Directory of the fixture configs; the CLI runs with it as working directory unless told otherwise. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** How a CLI process ended, with everything it printed. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Options of {@link runCli} and {@link startCli}. */
export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Node flags before the script (`--import …`). */
  nodeArgs?: string[];
}

/** A running CLI process and the promise of its end. */
export interface StartedCli {
  child: ChildProcess;
  done: Promise<CliRun>;
}

/** Start `node dist/cli.js …args` as a real process (no TTY, CI unset, NO_COLOR unset unless given). */
export function startCli(args: readonly string[], options: CliOptions = {}): StartedCli {
  const started = performance.now();
  const env: Record<string, string | undefined> = { ...process.env, CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_OPTIONS: undefined, ...options.env };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
    cwd: options.cwd ?? FIXTURES,
    env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started }));
  });
  return { child, done };
}

/** Run the CLI to its end. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}
