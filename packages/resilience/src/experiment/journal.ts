import { setTimeout as sleep } from 'node:timers/promises';
import type { TrafficStats } from '../proxy/handle.ts';
import { withFault, type FaultLedger, type FaultRecord } from '../proxy/faults.ts';
import type { ExperimentOptions } from '../types.ts';
import { evaluateAll, type ProbeVerdict } from './steady.ts';

/** What one run of an experiment found, in the order of its phases (Chaos Toolkit's journal, reduced). */
export interface ExperimentJournal {
  /** `completed`: the fault was injected and removed; `not-steady`: the steady state did not hold before, so nothing was injected. */
  status: 'completed' | 'not-steady';
  steadyBefore: ProbeVerdict[];
  /** The fault, with when it started and stopped. */
  fault?: FaultRecord;
  during: ProbeVerdict[];
  recovery?: {
    recovered: boolean;
    /** From the fault's removal to the start of the first poll in which every steady-state probe held. */
    timeToRecoverMs?: number;
    withinMs: number;
    polls: number;
    /** The last poll's verdicts. */
    last: ProbeVerdict[];
  };
  /** The declared secondary's traffic before and after the `during` phase (failover). */
  secondary?: { name: string; before?: TrafficStats; after?: TrafficStats };
}

/**
 * Run an experiment: steady state → inject the fault → (hold) → `during` probes →
 * remove the fault (always: also on failure and abort) → poll the steady state until it
 * holds again or `recovery.within` passes. Rejects with the abort reason when `signal` aborts.
 */
export async function runExperiment(options: ExperimentOptions, ledger: FaultLedger, signal: AbortSignal): Promise<ExperimentJournal> {
  const timeoutMs = options.probeTimeoutMs ?? 2_000;
  const steadyBefore = await evaluateAll(options.steadyState, signal, timeoutMs);
  signal.throwIfAborted();   // an interrupted phase proves nothing: no verdict comes from it
  if (!steadyBefore.every((verdict) => verdict.ok)) return { status: 'not-steady', steadyBefore, during: [] };
  const secondary = options.failover?.secondary;
  const journal: ExperimentJournal = { status: 'completed', steadyBefore, during: [] };
  if (secondary) journal.secondary = { name: secondary.name, ...defined('before', await secondary.stats({ signal })) };
  await withFault(options.fault.proxy, options.fault.toxic, async (applied) => {
    journal.fault = applied.record;
    if (options.fault.holdMs) await sleep(options.fault.holdMs, undefined, { signal });
    journal.during = await evaluateAll(options.during, signal, timeoutMs);
    signal.throwIfAborted();
    if (secondary) Object.assign(journal.secondary!, defined('after', await secondary.stats({ signal })));
  }, { signal, ledger });
  const removedAt = journal.fault?.stoppedAt ?? Date.now();
  const withinMs = options.recovery?.within ?? 5_000;
  const intervalMs = options.recovery?.intervalMs ?? 100;
  let polls = 0;
  for (;;) {
    const pollStarted = Date.now();
    const last = await evaluateAll(options.steadyState, signal, timeoutMs);
    signal.throwIfAborted();
    polls += 1;
    if (last.every((verdict) => verdict.ok)) {
      journal.recovery = { recovered: true, timeToRecoverMs: pollStarted - removedAt, withinMs, polls, last };
      break;
    }
    if (Date.now() + intervalMs - removedAt > withinMs) {
      journal.recovery = { recovered: false, withinMs, polls, last };
      break;
    }
    await sleep(intervalMs, undefined, { signal });
  }
  return journal;
}

function defined<K extends string>(key: K, value: TrafficStats | undefined): Partial<Record<K, TrafficStats>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, TrafficStats>);
}
