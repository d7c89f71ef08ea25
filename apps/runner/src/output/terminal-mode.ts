import type { OutputStream } from '../io.ts';

/** How the console output looks: a live status line, colour. */
export interface TerminalMode {
  /** Rewrite a status line in place: on a terminal, unless CI is set. */
  live: boolean;
  /** ANSI colour: `NO_COLOR` turns it off, `FORCE_COLOR` on; otherwise on in live mode. */
  color: boolean;
}

/** Decide the console's mode from the stream and the environment (the CLI's env, not necessarily the process's). */
export function terminalMode(stream: OutputStream, env: Record<string, string | undefined>): TerminalMode {
  const live = stream.isTTY === true && !isTruthy(env.CI);
  let color = live;
  if (env.FORCE_COLOR !== undefined) color = env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR) color = false;
  return { live, color };
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
