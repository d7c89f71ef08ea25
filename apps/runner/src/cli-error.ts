/** Exit code for invalid arguments or an invalid config (also: a check errored). */
export const EXIT_INVALID = 2;

/**
 * A problem the CLI reports as one or more plain lines (never a stack trace)
 * before exiting with `exitCode`: bad arguments, a config that cannot be loaded.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = EXIT_INVALID) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** True for a {@link CliError}. */
export function isCliError(value: unknown): value is CliError {
  return value instanceof CliError;
}
