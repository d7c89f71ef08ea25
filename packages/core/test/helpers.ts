import type { Check, Outcome, Probe, Reporter, RunEvent } from '../src/index.ts';
import { eventErrors } from '../src/reporters/event-schema.test-helper.ts';

/** A reporter that keeps every event and validates each against the published schema. */
export function collect(): Reporter & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return {
    events,
    onEvent: (event) => {
      const problems = eventErrors(JSON.parse(JSON.stringify(event)));
      if (problems.length > 0) throw new Error(`invalid ${event.type} event: ${problems.join('; ')}`);
      events.push(structuredClone(event));
    },
  };
}

/** A check with a fixed outcome (or behaviour). */
export function check(id: string, behaviour: Outcome | Check['run'], extra: Partial<Check> = {}): Check {
  return { id, title: id, run: typeof behaviour === 'function' ? behaviour : async () => behaviour, ...extra };
}

/** A probe for target `name` with the given checks. */
export function probe(name: string, checks: Check[], extra: Partial<Probe> = {}): Probe {
  return { target: { kind: 'test', name }, checks, ...extra };
}

/** Resolves after `ms`, ignoring any signal (a badly behaved check). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `run()` with a schema-validating collector added to its reporters: every event of
 * the run must match events.schema.json, or the returned promise rejects.
 */
export async function runChecked(...[input, options = {}]: Parameters<typeof import('../src/index.ts').run>) {
  const { run } = await import('../src/engine/run.ts');
  const problems: string[] = [];
  const validator: Reporter = {
    onEvent: (event) => { for (const problem of eventErrors(JSON.parse(JSON.stringify(event)))) problems.push(`${event.type}: ${problem}`); },
  };
  const summary = await run(input, { ...options, reporters: [...(options.reporters ?? []), validator] });
  if (problems.length > 0) throw new Error(`events do not match the schema:\n${problems.join('\n')}`);
  return summary;
}
