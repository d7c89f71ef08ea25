import type { Check, Outcome, ProbeContext } from '../../protocol/types.ts';
import { SYSTEM_ERR_HOOK, callHook } from '../call-hook.ts';
import { SYSTEM_CHECKLIST } from '../checklist.ts';
import { deepDiff, describeChange, type DiffChange } from '../deep-diff.ts';
import { plural } from '../text.ts';
import type { HookOutcome, IsolationFingerprint, SystemResources } from '../types.ts';

/** What `system.isolation` found for one fingerprint. */
export interface IsolationEntry {
  target: string;
  changed: boolean;
  /** What changed (at most 20 paths). */
  changes?: DiffChange[];
  /** Why a fingerprint could not be taken (before or after). */
  error?: string;
}

/** Options of {@link isolationCheck} and {@link takeFingerprints}. */
export interface IsolationOptions {
  fingerprints: readonly IsolationFingerprint[];
  hookTimeoutMs: number;
}

/**
 * The "before" fingerprints, taken in the system probe's setup. Never throws:
 * a fingerprint that fails is kept as its error, and `system.isolation`
 * reports it (the probe's other checks still run).
 */
export async function takeFingerprints(options: IsolationOptions, context: Pick<ProbeContext, 'signal' | 'runId'>): Promise<SystemResources['before']> {
  const taken = await Promise.all(options.fingerprints.map((entry) => callHook(entry.fingerprint, {
    signal: context.signal, runId: context.runId, timeoutMs: options.hookTimeoutMs, label: `fingerprint of ${entry.target} (before)`,
  })));
  return new Map(options.fingerprints.map((entry, index) => [entry.target, taken[index]!]));
}

/**
 * `system.isolation`: the fingerprints taken in setup, taken again and
 * compared — anything the probe's checks changed outside the objects they own
 * shows up as a changed target with the paths that changed. The system probe
 * puts it last in its checks, so it runs after all of them.
 */
export function isolationCheck(options: IsolationOptions): Check<SystemResources | undefined> {
  return {
    id: 'system.isolation',
    title: 'The checks changed nothing they do not own',
    checklist: [...SYSTEM_CHECKLIST.isolation],
    timeoutMs: options.hookTimeoutMs + 1_000,
    run: async (context) => {
      const before = context.resources?.before ?? new Map<string, HookOutcome<unknown>>();
      const entries = await Promise.all(options.fingerprints.map(async (entry): Promise<IsolationEntry> => {
        const earlier = before.get(entry.target);
        if (!earlier) return { target: entry.target, changed: false, error: 'no fingerprint was taken before the checks ran (setup did not run)' };
        if (!earlier.ok) return { target: entry.target, changed: false, error: earlier.error.message };
        const after = await callHook(entry.fingerprint, {
          signal: context.signal, runId: context.runId, timeoutMs: options.hookTimeoutMs, label: `fingerprint of ${entry.target} (after)`,
        });
        if (!after.ok) return { target: entry.target, changed: false, error: after.error.message };
        const changes = deepDiff(earlier.value, after.value, 20);
        return { target: entry.target, changed: changes.length > 0, ...(changes.length > 0 ? { changes } : {}) };
      }));
      return judge(entries);
    },
  };
}

function judge(entries: IsolationEntry[]): Outcome {
  const evidence = { targets: entries };
  const changed = entries.filter((entry) => entry.changed);
  const broken = entries.filter((entry) => entry.error !== undefined);
  if (changed.length > 0) {
    const parts = changed.map((entry) => {
      const shown = entry.changes!.slice(0, 2).map(describeChange).join(', ');
      const more = entry.changes!.length > 2 ? ` (+${entry.changes!.length - 2} more)` : '';
      return `${entry.target}: ${shown}${more}`;
    });
    return { status: 'fail', summary: `data outside the probes' own objects changed during the run — ${parts.join('; ')}`, evidence };
  }
  if (broken.length > 0) {
    const message = broken.map((entry) => entry.error).join('; ');
    return { status: 'error', summary: `could not compare ${plural(broken.length, 'fingerprint')}: ${message}`, evidence, error: { code: SYSTEM_ERR_HOOK, message } };
  }
  return { status: 'pass', summary: `${plural(entries.length, 'fingerprint')} unchanged: ${entries.map((entry) => entry.target).join(', ')}`, evidence };
}
