import type { CliIo, InterruptSignal } from './io.ts';

/** A {@link CliIo} that records output and lets a test send signals; for in-process tests of `main`. */
export interface FakeIo extends CliIo {
  out(): string;
  err(): string;
  /** Deliver SIGINT/SIGTERM to the handlers the CLI installed. */
  interrupt(signal: InterruptSignal): void;
  /** Codes passed to `exitNow`. */
  exits: number[];
  /** How many interrupt handlers are installed now. */
  handlers(): number;
}

/** A fake io rooted at `cwd`, with `env` as the whole environment. */
export function fakeIo(cwd: string, env: Record<string, string | undefined> = {}, options: { tty?: boolean } = {}): FakeIo {
  let stdout = '';
  let stderr = '';
  const handlers = new Set<(signal: InterruptSignal) => void>();
  const exits: number[] = [];
  return {
    stdout: { write: (text: string) => { stdout += text; return true; }, isTTY: options.tty ?? false },
    stderr: { write: (text: string) => { stderr += text; return true; } },
    env,
    cwd,
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    exitNow: (code) => { exits.push(code); },
    out: () => stdout,
    err: () => stderr,
    interrupt: (signal) => { for (const handler of [...handlers]) handler(signal); },
    exits,
    handlers: () => handlers.size,
  };
}
