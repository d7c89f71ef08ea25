/** A writable text stream, as the CLI uses it (process.stdout, or a buffer in tests). */
export interface OutputStream {
  write(text: string): boolean | void;
  /** True on a terminal: live progress and (unless NO_COLOR) colour. */
  isTTY?: boolean;
}

/** The signals the CLI handles: the first aborts the run, the second exits at once. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/**
 * Everything the CLI touches in the outside world, so that `main` runs the same
 * in a real process and in-process in tests.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Directory that relative paths and the default config are resolved against. */
  cwd: string;
  /** Call `handler` on SIGINT/SIGTERM until the returned function is called. */
  onInterrupt(handler: (signal: InterruptSignal) => void): () => void;
  /** End the process now (a second Ctrl-C). */
  exitNow(code: number): void;
}

/** The real process's streams, environment and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      const onSigint = () => handler('SIGINT');
      const onSigterm = () => handler('SIGTERM');
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigterm);
      return () => {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      };
    },
    exitNow(code) {
      process.exit(code);
    },
  };
}
