import { messageOf, toErrorInfo } from '../errors.ts';
import type { CheckContext, Outcome } from '../protocol/types.ts';
import { redactDeep } from '../redact.ts';
import { isStepFailure } from './step-failure.ts';
import type { FlowStep, StepContext, StepRecord } from './types.ts';

/**
 * Run steps in order under the check's single deadline, timing each, then run
 * every deferred clean-up (last first). The outcome names the step that broke
 * and carries the record of every hop: what each returned, and where the data
 * diverged.
 */
export async function runSteps(steps: readonly FlowStep[], context: CheckContext, label: string): Promise<Outcome> {
  const state: Record<string, unknown> = {};
  const cleanups: (() => Promise<void> | void)[] = [];
  const records: StepRecord[] = steps.map((step) => ({ step: step.name, ...(step.target ? { target: step.target } : {}), status: 'not-run', durationMs: 0 }));
  const stepContext: StepContext = {
    signal: context.signal, deadline: context.deadline, state, runId: context.runId,
    defer: (cleanup) => { cleanups.push(cleanup); }, redact: context.redact, log: context.log,
  };
  let outcome: Outcome | undefined;
  try {
    for (const [index, step] of steps.entries()) {
      const record = records[index]!;
      const started = performance.now();
      try {
        if (context.signal.aborted) throw context.signal.reason;
        const value = await step.run(stepContext);
        state[step.name] = value;
        record.status = 'pass';
        if (value !== undefined) record.output = preview(value, context);
      } catch (error) {
        record.durationMs = round(performance.now() - started);
        const failed = isStepFailure(error);
        record.status = failed ? 'fail' : 'error';
        record.message = context.redact(messageOf(error));
        if (failed && Object.keys(error.evidence).length > 0) record.output = preview(error.evidence, context);
        const where = `step ${index + 1}/${steps.length} "${step.name}"${step.target ? ` (${step.target})` : ''}`;
        outcome = failed
          ? { status: 'fail', summary: `${label} failed at ${where}: ${record.message}` }
          : { status: 'error', summary: `${label} could not run ${where}: ${record.message}`, error: { ...toErrorInfo(error), message: `${where}: ${record.message}` } };
        break;
      }
      record.durationMs = round(performance.now() - started);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        context.log.warn(`${label}: a clean-up failed: ${messageOf(error)}`);
      }
    }
  }
  const total = round(records.reduce((sum, record) => sum + record.durationMs, 0));
  for (const record of records) context.metric(`step.${record.step}_ms`, record.durationMs, 'ms');
  return {
    ...(outcome ?? { status: 'pass', summary: `${label}: all ${steps.length} steps passed in ${total} ms` }),
    evidence: { steps: records },
  };
}

function preview(value: unknown, context: CheckContext): unknown {
  const redacted = redactDeep(value, context.redact);
  let json: string | undefined;
  try {
    json = JSON.stringify(redacted);
  } catch {
    return '[unserialisable]';
  }
  if (json === undefined) return String(redacted);
  return json.length <= 2_000 ? redacted : `${json.slice(0, 2_000)}… (${json.length} characters)`;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
