import { parseOptions, type Probe } from '@probe/core';
import { experimentChecks, type ExperimentResources } from './checks/experiment.ts';
import { runExperiment, type ExperimentJournal } from './experiment/journal.ts';
import { experimentOptionsSchema } from './options.ts';
import { createFaultLedger } from './proxy/faults.ts';
import type { ExperimentOptions } from './types.ts';

/**
 * A degradation experiment, shaped like Chaos Toolkit's: verify the steady state, inject
 * the fault, run the `during` probes, remove the fault (always — also on failure, timeout
 * and abort; teardown removes anything left), and time the recovery. Yields
 * `resilience.degradation`, `resilience.recovery` and, with a declared secondary,
 * `resilience.failover`. The experiment runs once; its checks read the same journal.
 */
export function experiment(options: ExperimentOptions): Probe<ExperimentResources> {
  const input = options as Partial<ExperimentOptions> | undefined;
  const proxyName = (input?.fault?.proxy as { name?: unknown } | undefined)?.name;
  const target = { kind: 'experiment', name: input?.name ?? `experiment ${typeof proxyName === 'string' ? proxyName : ''}`.trim() };
  const parsed = parseOptions(experimentOptionsSchema, options);
  if (!parsed.ok) return { target, checks: [], issues: parsed.issues };
  let ledger = createFaultLedger();
  return {
    target,
    checks: experimentChecks(options),
    setup(context) {
      ledger = createFaultLedger(context.runId);
      let journal: Promise<ExperimentJournal> | undefined;
      return {
        // The first check runs the experiment; the others read its journal. One cut short (its check's deadline) is run again.
        journal: (signal) => {
          journal ??= runExperiment(options, ledger, signal).catch((error: unknown) => {
            journal = undefined;
            throw error;
          });
          return journal;
        },
      };
    },
    async teardown() {
      const failures = await ledger.undoAll();
      if (failures.length > 0) throw new Error(`could not remove every fault: ${failures.join('; ')}`);
    },
  };
}
