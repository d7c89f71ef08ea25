const MARKER = Symbol.for('probe.step-failure');

/** Thrown by a flow step when the system under test misbehaves (a `fail`, not an `error`). */
export interface StepFailure extends Error {
  /** What the step saw: the response, the rows, the messages received. */
  evidence: Record<string, unknown>;
}

/** Throw this from a step to fail the flow at that step with evidence. */
export function failStep(message: string, evidence: Record<string, unknown> = {}): never {
  const error = new Error(message) as StepFailure;
  error.name = 'StepFailure';
  error.evidence = evidence;
  (error as unknown as Record<symbol, boolean>)[MARKER] = true;
  throw error;
}

/** True for a step failure from any copy of @probe/core. */
export function isStepFailure(value: unknown): value is StepFailure {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** Fail the step unless `condition` holds. */
export function expectStep(condition: unknown, message: string, evidence: Record<string, unknown> = {}): asserts condition {
  if (!condition) failStep(message, evidence);
}
