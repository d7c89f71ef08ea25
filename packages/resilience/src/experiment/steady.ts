import { run, type Probe } from '@probe/core';
import type { FunctionSteadyProbe, HttpSteadyProbe, SteadyProbe } from '../types.ts';
import { describeOutcome, runAction, unmet } from '../verify/action.ts';

/** What one steady-state (or `during`) probe found. */
export interface ProbeVerdict {
  name: string;
  ok: boolean;
  /** `200 in 12 ms`, `3 checks passed`. */
  outcome: string;
  durationMs: number;
  /** Why it does not hold (empty when it does). */
  problems: string[];
}

function isCoreProbe(probe: SteadyProbe): probe is Probe {
  return Array.isArray((probe as Probe).checks);
}

function isHttpProbe(probe: SteadyProbe): probe is HttpSteadyProbe {
  return typeof (probe as HttpSteadyProbe).url === 'string';
}

/** A name for a probe in evidence: its own, `GET /orders`, or the @probe target's name. */
export function probeName(probe: SteadyProbe): string {
  if (isCoreProbe(probe)) return `${probe.target.kind} ${probe.target.name}`;
  if (isHttpProbe(probe)) return probe.name ?? `${probe.method ?? 'GET'} ${probe.url}`;
  return (probe as FunctionSteadyProbe).name;
}

/** Run one probe, bounded by `timeoutMs`; never throws. */
export async function evaluate(probe: SteadyProbe, signal: AbortSignal, timeoutMs: number): Promise<ProbeVerdict> {
  const name = probeName(probe);
  if (isCoreProbe(probe)) {
    const started = performance.now();
    const summary = await run([probe], { signal, timeoutMs, concurrency: 1 });
    const bad = summary.results.filter((result) => result.status === 'fail' || result.status === 'error');
    return {
      name,
      ok: bad.length === 0 && summary.results.length > 0,
      outcome: `${summary.results.length - bad.length} of ${summary.results.length} checks held`,
      durationMs: Math.round(performance.now() - started),
      problems: bad.map((result) => `${result.id}: ${result.status} — ${result.summary}`),
    };
  }
  const outcome = isHttpProbe(probe)
    ? await runAction(probe, { url: probe.url, signal, boundMs: timeoutMs })
    : await runAction(({ signal: inner }) => (probe as FunctionSteadyProbe).run({ signal: inner }), { url: '', signal, boundMs: timeoutMs });
  const problems = unmet(outcome, probe.expect);
  return { name, ok: problems.length === 0, outcome: describeOutcome(outcome), durationMs: Math.round(outcome.durationMs), problems };
}

/** Run probes one after another. */
export async function evaluateAll(probes: readonly SteadyProbe[], signal: AbortSignal, timeoutMs: number): Promise<ProbeVerdict[]> {
  const verdicts: ProbeVerdict[] = [];
  for (const probe of probes) verdicts.push(await evaluate(probe, signal, timeoutMs));
  return verdicts;
}
