import type { Check, CheckContext, Outcome } from '@probe/core';
import type { ExperimentJournal } from '../experiment/journal.ts';
import type { ProbeVerdict } from '../experiment/steady.ts';
import type { TrafficStats } from '../proxy/handle.ts';
import type { ExperimentOptions } from '../types.ts';

/** What the experiment checks share: the one run of the experiment, started by whichever check comes first. */
export interface ExperimentResources {
  journal(signal: AbortSignal): Promise<ExperimentJournal>;
}

type Ctx = CheckContext<ExperimentResources>;

/** The code of an experiment whose steady state did not hold before any fault. */
export const NOT_STEADY = 'RESILIENCE_NOT_STEADY';

/** `resilience.degradation`, `resilience.recovery` and (with a declared secondary) `resilience.failover`. */
export function experimentChecks(options: ExperimentOptions): Check<ExperimentResources>[] {
  const probeMs = options.probeTimeoutMs ?? 2_000;
  const budget = (options.steadyState.length * 2 + options.during.length + 2) * probeMs + (options.fault.holdMs ?? 0) + (options.recovery?.within ?? 5_000) + 2_000;
  const checks: Check<ExperimentResources>[] = [
    {
      id: 'resilience.degradation',
      title: 'Under the fault, the system degrades gracefully (the `during` probes hold)',
      checklist: ['integration.service.service-resilience.test-degradation', 'integration.performance.system-performance.test-degradation'],
      timeoutMs: budget,
      run: async (context) => degradation(await journalOf(context)),
    },
    {
      id: 'resilience.recovery',
      title: 'After the fault is removed, the steady state returns within the bound',
      checklist: ['integration.service.service-resilience.verify-recovery'],
      timeoutMs: budget,
      run: async (context) => recovery(context, await journalOf(context)),
    },
  ];
  if (options.failover) {
    checks.push({
      id: 'resilience.failover',
      title: 'With the primary down, traffic moves to the declared secondary and the system keeps answering',
      checklist: ['integration.service.service-resilience.test-failover'],
      timeoutMs: budget,
      run: async (context) => failover(context, await journalOf(context)),
    });
  }
  return checks;
}

function journalOf(context: Ctx): Promise<ExperimentJournal> {
  return context.resources.journal(context.signal);
}

function notSteady(journal: ExperimentJournal): Outcome {
  const failing = journal.steadyBefore.filter((verdict) => !verdict.ok);
  return {
    status: 'error',
    summary: `the steady state did not hold before any fault, so none was injected: ${describeFailures(failing)}`,
    error: { code: NOT_STEADY, message: `steady state not met before the fault: ${describeFailures(failing)}` },
    evidence: { steadyBefore: journal.steadyBefore },
  };
}

function degradation(journal: ExperimentJournal): Outcome {
  if (journal.status === 'not-steady') return notSteady(journal);
  const evidence = { fault: journal.fault, steadyBefore: journal.steadyBefore, during: journal.during };
  const failing = journal.during.filter((verdict) => !verdict.ok);
  if (failing.length > 0) return { status: 'fail', summary: `under ${journal.fault?.fault} on ${journal.fault?.proxy}: ${describeFailures(failing)}`, evidence };
  return { status: 'pass', summary: `under ${journal.fault?.fault} on ${journal.fault?.proxy}, every during-probe held: ${journal.during.map((verdict) => `${verdict.name} → ${verdict.outcome}`).join('; ')}`, evidence };
}

function recovery(context: Ctx, journal: ExperimentJournal): Outcome {
  if (journal.status === 'not-steady') return notSteady(journal);
  const result = journal.recovery!;
  const evidence = { fault: journal.fault, recovery: result };
  if (!result.recovered) {
    return { status: 'fail', summary: `not recovered ${result.withinMs} ms after ${journal.fault?.fault} was removed from ${journal.fault?.proxy}: ${describeFailures(result.last.filter((verdict) => !verdict.ok))}`, evidence };
  }
  context.metric('resilience.time_to_recover_ms', result.timeToRecoverMs!, 'ms');
  return { status: 'pass', summary: `recovered ${result.timeToRecoverMs} ms after ${journal.fault?.fault} was removed (bound ${result.withinMs} ms, ${result.polls} poll${result.polls === 1 ? '' : 's'})`, evidence };
}

function failover(context: Ctx, journal: ExperimentJournal): Outcome {
  if (journal.status === 'not-steady') return notSteady(journal);
  const secondary = journal.secondary!;
  const moved = traffic(secondary.before, secondary.after);
  const failing = journal.during.filter((verdict) => !verdict.ok);
  const evidence = { fault: journal.fault, secondary, during: journal.during };
  if (failing.length > 0) return { status: 'fail', summary: `with ${journal.fault?.proxy} ${journal.fault?.fault}, the system did not keep answering: ${describeFailures(failing)}`, evidence };
  if (moved === undefined) return { status: 'warn', summary: `the system kept answering with ${journal.fault?.proxy} ${journal.fault?.fault}, but ${secondary.name} exposes no traffic counters to prove it took over`, evidence };
  context.metric('resilience.failover_bytes', moved.bytes, 'bytes');
  if (moved.bytes === 0 && moved.connections === 0) {
    return { status: 'fail', summary: `${secondary.name} got no traffic while ${journal.fault?.proxy} was ${journal.fault?.fault}: the system answered without failing over (cache? a third path?)`, evidence };
  }
  return { status: 'pass', summary: `with ${journal.fault?.proxy} ${journal.fault?.fault}, traffic moved to ${secondary.name} (${moved.connections} new connections, ${moved.bytes} bytes) and every during-probe held`, evidence };
}

function traffic(before: TrafficStats | undefined, after: TrafficStats | undefined): { bytes: number; connections: number } | undefined {
  if (!before || !after) return undefined;
  const bytes = after.upstream.received - before.upstream.received + after.downstream.received - before.downstream.received;
  const connections = (after.connections?.total ?? 0) - (before.connections?.total ?? 0);
  return { bytes, connections };
}

function describeFailures(verdicts: ProbeVerdict[]): string {
  return verdicts.map((verdict) => `${verdict.name}: ${verdict.problems.join(', ') || verdict.outcome}`).join('; ');
}
