/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `<what> timed out after <ms> ms` unless `promise` settles first. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Options of `pollUntil`. */
export interface PollOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Pause between attempts (default 250 ms). */
  intervalMs?: number;
  /** Called between attempts; a returned string stops polling with that reason (e.g. "the process exited"). */
  abort?: () => string | undefined;
  /** Names the thing waited for in the error. */
  what: string;
}

/** Calls `attempt` until it resolves; rejects with the last error when time runs out or `abort` says so. */
export async function pollUntil<T>(attempt: () => Promise<T>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
    }
    const aborted = options.abort?.();
    if (aborted) throw new Error(`${options.what}: ${aborted} (last error: ${errorMessage(last)})`);
    if (Date.now() >= deadline) {
      throw new Error(`${options.what}: not ready after ${options.timeoutMs} ms (last error: ${errorMessage(last)})`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}

/** A one-line message for any thrown value (AggregateError shows its first cause). */
export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
