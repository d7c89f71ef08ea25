/** The service's log: one line per event on stderr, silent when quiet. */
export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

export function createLog(quiet: boolean): Logger {
  const line = (level: string, message: string) => {
    if (!quiet) process.stderr.write(`${new Date().toISOString()} demo[${process.pid}] ${level} ${message}\n`);
  };
  return { info: (message) => line('info', message), error: (message) => line('error', message) };
}
