import { run, type Probe, type Result, type RunOptions } from '@probe/core';
import { collectEvents } from '@probe/testkit';

/** Run one probe with a schema-validating reporter; results by check id. */
export async function runProbe(probe: Probe, options: RunOptions = {}): Promise<{ results: Map<string, Result>; all: Result[]; durationMs: number; teardownErrors: { message: string }[] }> {
  if (probe.issues?.length) throw new Error(`probe has config issues: ${JSON.stringify(probe.issues)}`);
  const summary = await run([probe], { ...options, reporters: [collectEvents(), ...(options.reporters ?? [])] });
  return { results: new Map(summary.results.map((result) => [result.id, result])), all: summary.results, durationMs: summary.durationMs, teardownErrors: summary.teardownErrors };
}

/** Run only `id` (or `options.only`) and return the result of `id` (throws when it did not run). */
export async function runCheck(probe: Probe, id: string, options: RunOptions = {}): Promise<Result> {
  const { results, teardownErrors } = await runProbe(probe, { only: [id], ...options });
  if (teardownErrors.length > 0) throw new Error(`teardown failed: ${teardownErrors.map((error) => error.message).join('; ')}`);
  const result = results.get(id);
  if (!result) throw new Error(`${id} did not run`);
  return result;
}

/** Poll `condition` every 20 ms until true, or throw after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
