import { describe, expect, it } from 'vitest';
import { isKnownItem, newRunId, run, type Probe, type Result, type RunOptions } from '@probe/core';
import { collectEvents } from './event-schema.ts';

/** What a probe package hands the conformance suite. */
export interface ConformanceOptions {
  /** Shown in the test names. */
  name: string;
  /** The first segment every check id must have (`db`, `cache`, `queue`, …). */
  domain: string;
  /** Makes a fresh probe against a real target; called once per test. */
  probe: () => Probe | Promise<Probe>;
  /**
   * A fingerprint of everything on the target that is not the probe's own (row counts
   * and checksums, key sets, topic offsets). Must be equal before and after a run.
   */
  fingerprint?: () => Promise<unknown>;
  /** Objects still on the target that are named with `runId` (schemas, keys, topics); must be none after a run. */
  leftovers?: (runId: string) => Promise<string[]>;
  /** Secret values that must never appear in any event. */
  secrets?: string[];
  /** When to interrupt the aborted run, in ms after it starts (default 150). */
  abortAfterMs?: number;
  /** Extra run options (e.g. a larger timeoutMs for slow targets). */
  runOptions?: RunOptions;
  /** Per-test timeout in ms (default 5 000). */
  testTimeoutMs?: number;
}

/**
 * The conformance suite every probe package runs against its own probe: results
 * validate against the protocol schema and name known checklist items, a check
 * that cannot finish becomes `error`/`PROBE_ERR_TIMEOUT` (never a hang), nothing
 * is left behind after a full or an aborted run, and no secret leaks.
 */
export function describeConformance(options: ConformanceOptions): void {
  const timeout = options.testTimeoutMs ?? 5_000;

  describe(`conformance: ${options.name}`, () => {
    it('every event validates against the schema; ids are domain-prefixed; checklist ids are known; no check crashes', async () => {
      const events = collectEvents();
      const summary = await run([await options.probe()], { ...options.runOptions, reporters: [events] });
      expect(summary.results.length).toBeGreaterThan(0);
      for (const result of summary.results) {
        expect(result.id.split('.')[0], result.id).toBe(options.domain);
        expect(result.checklist.filter((id) => !isKnownItem(id)), `${result.id} names unknown checklist items`).toEqual([]);
        expect(crashes(result), `${result.id} threw instead of returning an outcome: ${result.error?.message}`).toBe(false);
      }
      expect(events.events.at(-1)?.type).toBe('run-end');
    }, timeout);

    it('a check that cannot finish in time ends as error PROBE_ERR_TIMEOUT, never a hang', async () => {
      const probe = await options.probe();
      const hurried: Probe = { ...probe, checks: probe.checks.map((check) => ({ ...check, timeoutMs: 1 })) };
      const summary = await run([hurried], { ...options.runOptions, reporters: [collectEvents()] });
      for (const result of summary.results) {
        if (result.status === 'error') expect(result.error?.code, `${result.id}: ${result.error?.message}`).toMatch(/PROBE_ERR_TIMEOUT|PROBE_ERR_UNREACHABLE/);
        // 1 ms deadline: the engine's own bound is deadline + a few ms (tested in core); 300 ms leaves room for a loaded machine and still catches a hang.
        expect(result.durationMs, result.id).toBeLessThan(300);
      }
    }, timeout);

    it('a full run leaves the target as it was and nothing of its own behind', async () => {
      const before = await options.fingerprint?.();
      const runId = newRunId();
      await run([await options.probe()], { ...options.runOptions, runId, reporters: [collectEvents()] });
      if (options.fingerprint) expect(await options.fingerprint()).toEqual(before);
      if (options.leftovers) expect(await options.leftovers(runId)).toEqual([]);
    }, timeout);

    it('an aborted run leaves the target as it was and nothing of its own behind', async () => {
      const before = await options.fingerprint?.();
      const runId = newRunId();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort('SIGINT'), options.abortAfterMs ?? 150);
      const summary = await run([await options.probe()], { ...options.runOptions, runId, signal: controller.signal, reporters: [collectEvents()] });
      clearTimeout(timer);
      if (summary.interrupted) expect(summary.exitCode).toBe(130);
      if (options.fingerprint) expect(await options.fingerprint()).toEqual(before);
      if (options.leftovers) expect(await options.leftovers(runId)).toEqual([]);
    }, timeout);

    if (options.secrets?.length) {
      it('never puts a secret in any event', async () => {
        const events = collectEvents();
        await run([await options.probe()], { ...options.runOptions, reporters: [events] });
        const text = JSON.stringify(events.events);
        for (const secret of options.secrets!) expect(text.includes(secret), 'a secret leaked into the events').toBe(false);
      }, timeout);
    }
  });
}

function crashes(result: Result): boolean {
  return result.status === 'error' && result.error?.code === 'PROBE_ERR_CHECK';
}
