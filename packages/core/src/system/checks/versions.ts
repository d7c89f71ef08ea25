import type { Check, Outcome } from '../../protocol/types.ts';
import { SYSTEM_ERR_HOOK, callHook } from '../call-hook.ts';
import { SYSTEM_CHECKLIST } from '../checklist.ts';
import { formatVersion, parseVersion, satisfies, type VersionRange } from '../semver-range.ts';
import { plural } from '../text.ts';
import type { SystemTarget } from '../types.ts';

/** What `system.dependencies.versions` found for one target. */
export interface VersionEntry {
  target: string;
  /** The declared range, when there is one. */
  range?: string;
  /** What the server said (cut to 200 characters). */
  reported?: string;
  /** The version read from it: `15.19.0`. */
  version?: string;
  satisfied?: boolean;
  /** Why the version could not be read. */
  error?: string;
}

/** Options of {@link versionsCheck}. */
export interface VersionsCheckOptions {
  targets: readonly SystemTarget[];
  /** Parsed ranges by target name (validated by the factory). */
  ranges: ReadonlyMap<string, VersionRange>;
  hookTimeoutMs: number;
}

/**
 * `system.dependencies.versions`: each target's server version, from its
 * `version` hook, against the declared range. Targets with a hook but no range
 * are listed for the record. Out of range → `fail`; a version that cannot be
 * read → `error`; no range declared → `skip`.
 */
export function versionsCheck(options: VersionsCheckOptions): Check {
  return {
    id: 'system.dependencies.versions',
    title: 'Every dependency runs a version in its declared range',
    checklist: [...SYSTEM_CHECKLIST.versions],
    parallel: true,
    timeoutMs: options.hookTimeoutMs + 1_000,
    run: async (context) => {
      if (options.ranges.size === 0) {
        return { status: 'skip', summary: 'no version ranges declared', reason: "no version ranges declared (versions: { 'orders-db': '>=14 <17' })" };
      }
      const withHook = options.targets.filter((target) => target.version);
      const entries = await Promise.all(withHook.map(async (target): Promise<VersionEntry> => {
        const range = options.ranges.get(target.name);
        const base: VersionEntry = { target: target.name, ...(range ? { range: range.raw } : {}) };
        const answer = await callHook(target.version!, {
          signal: context.signal, runId: context.runId, timeoutMs: options.hookTimeoutMs, label: `version of ${target.name}`,
        });
        if (!answer.ok) return { ...base, error: answer.error.message };
        const reported = String(answer.value).slice(0, 200);
        const version = parseVersion(reported);
        if (!version) return { ...base, reported, error: `${target.name} answered ${JSON.stringify(reported)}, which holds no version` };
        return { ...base, reported, version: formatVersion(version), ...(range ? { satisfied: satisfies(version, range) } : {}) };
      }));
      return judge(entries);
    },
  };
}

function judge(entries: VersionEntry[]): Outcome {
  const evidence = { targets: entries };
  const outside = entries.filter((entry) => entry.satisfied === false);
  const unreadable = entries.filter((entry) => entry.error !== undefined);
  const judged = entries.filter((entry) => entry.satisfied !== undefined);
  if (outside.length > 0) {
    const list = outside.map((entry) => `${entry.target} runs ${entry.version}, outside ${entry.range}`).join('; ');
    const also = unreadable.length > 0 ? `; ${unreadable.length} unreadable` : '';
    return { status: 'fail', summary: `${outside.length} of ${plural(judged.length + unreadable.length, 'dependency', 'dependencies')} outside their version range: ${list}${also}`, evidence };
  }
  if (unreadable.length > 0) {
    const message = unreadable.map((entry) => entry.error).join('; ');
    return { status: 'error', summary: `could not read ${plural(unreadable.length, 'version')}: ${message}`, evidence, error: { code: SYSTEM_ERR_HOOK, message } };
  }
  const list = judged.map((entry) => `${entry.target} ${entry.version} ∈ ${entry.range}`).join(', ');
  return { status: 'pass', summary: `${plural(judged.length, 'dependency', 'dependencies')} in range: ${list}`, evidence };
}
