import type { Logger } from '../protocol/types.ts';

/** What one step of a flow gets. */
export interface StepContext<S extends Record<string, unknown> = Record<string, unknown>> {
  /** Aborted at the flow's deadline (one deadline for all steps) or when the run is interrupted. */
  signal: AbortSignal;
  /** Epoch ms at which the whole flow ends as a timeout. */
  deadline: number;
  /** What earlier steps returned, by step name. */
  state: S;
  /** The run id: name what the flow creates with it. */
  runId: string;
  /** Register a clean-up; all run after the flow, last first, also after a failure or a timeout. */
  defer(cleanup: () => Promise<void> | void): void;
  redact(text: string): string;
  log: Logger;
}

/** One hop of a flow: an HTTP call, a query, a message awaited, a cache lookup. */
export interface FlowStep<S extends Record<string, unknown> = Record<string, unknown>> {
  /** Unique within the flow; what it returns is stored in `state[name]`. */
  name: string;
  /** Which system the step talks to (shown in the evidence): `api`, `orders-db`, `kafka`, … */
  target?: string;
  /**
   * Do the step and return what later steps need. Throw a {@link StepFailure}
   * (via `failStep`) when the system misbehaves — the flow then `fail`s naming
   * this step; any other error makes it `error`.
   */
  run(context: StepContext<S>): Promise<unknown> | unknown;
}

/** The evidence kept for each hop of a flow. */
export interface StepRecord {
  step: string;
  target?: string;
  status: 'pass' | 'fail' | 'error' | 'not-run';
  durationMs: number;
  /** What the step returned (redacted, truncated), or what it found when it failed. */
  output?: unknown;
  message?: string;
}
