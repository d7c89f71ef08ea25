import type { CliIo, InterruptSignal } from './io.ts';

/** Exit code of a run ended by a signal: 128 + its number. */
export const SIGNAL_EXIT_CODES: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** An abort signal wired to SIGINT/SIGTERM, and the way to unwire it. */
export interface InterruptTrap {
  /** Aborted with reason `'SIGINT'`/`'SIGTERM'` on the first signal. */
  signal: AbortSignal;
  dispose(): void;
}

/**
 * The first SIGINT/SIGTERM aborts the run (the engine stops scheduling, aborts
 * running checks, runs every teardown and closes the reporters); a second one
 * exits at once with 130/143.
 */
export function trapInterrupts(io: CliIo): InterruptTrap {
  const controller = new AbortController();
  const dispose = io.onInterrupt((signal) => {
    if (controller.signal.aborted) {
      io.stderr.write(`\nprobe: ${signal} again; exiting now (teardowns may not have finished)\n`);
      io.exitNow(SIGNAL_EXIT_CODES[signal]);
      return;
    }
    io.stderr.write(`\nprobe: ${signal} received; stopping: aborting running checks, running teardowns, writing reports (send it again to exit at once)\n`);
    controller.abort(signal);
  });
  return { signal: controller.signal, dispose };
}
