export { defineFlow, type FlowOptions } from './define-flow.ts';
export { eventually, type EventuallyWindow } from './eventually.ts';
export { runSteps } from './run-steps.ts';
export { expectStep, failStep, isStepFailure, type StepFailure } from './step-failure.ts';
export type { FlowStep, StepContext, StepRecord } from './types.ts';
