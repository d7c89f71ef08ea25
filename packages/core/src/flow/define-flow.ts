import type { Check } from '../protocol/types.ts';
import { runSteps } from './run-steps.ts';
import type { FlowStep } from './types.ts';

/** A flow: one check made of steps across API, database, queue and cache. */
export interface FlowOptions {
  /** Kebab-case name: the check id becomes `system.flow.<name>` (or `<idPrefix>.<name>`). */
  name: string;
  title?: string;
  /** Checklist items; default: the System Integration end-to-end items. */
  checklist?: string[];
  /** The flow writes (creates an order, publishes a message): skipped under `--read-only`. Default true. */
  writes?: boolean;
  /** One deadline for all steps together (default 10 000 ms). */
  timeoutMs?: number;
  /** Id prefix, `system.flow` by default (`data.pipeline` for pipelines). */
  idPrefix?: string;
  steps: FlowStep[];
}

const DEFAULT_CHECKLIST = [
  'integration.system.system-workflows.test-end-to-end',
  'integration.system.system-workflows.verify-business-logic',
  'integration.system.component-integration.test-interactions',
];

/**
 * Turn a flow into a check. Each step's duration becomes a metric
 * (`step.<name>_ms`); a failure names the step, with the evidence of every hop.
 */
export function defineFlow(options: FlowOptions): Check {
  const label = `flow ${options.name}`;
  return {
    id: `${options.idPrefix ?? 'system.flow'}.${options.name}`,
    title: options.title ?? `End-to-end flow: ${options.name}`,
    checklist: options.checklist ?? DEFAULT_CHECKLIST,
    writes: options.writes ?? true,
    slow: true,
    timeoutMs: options.timeoutMs ?? 10_000,
    run: (context) => runSteps(options.steps, context, label),
  };
}
