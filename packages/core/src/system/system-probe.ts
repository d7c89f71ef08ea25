import { parseOptions } from '../config/options.ts';
import type { Check, Probe } from '../protocol/types.ts';
import { secretsOfUrl } from '../redact.ts';
import { availabilityCheck } from './checks/availability.ts';
import { driftCheck } from './checks/drift.ts';
import { isolationCheck, takeFingerprints } from './checks/isolation.ts';
import { pipelineCheck } from './checks/pipeline.ts';
import { versionsCheck } from './checks/versions.ts';
import { systemOptionIssues, systemOptionsSchema } from './options.ts';
import type { SystemOptions, SystemResources } from './types.ts';

const DEFAULT_HOOK_TIMEOUT_MS = 2_000;
const DEFAULT_WARN_MS = 500;

/**
 * A probe of the system as a whole (target kind `system`): its dependencies'
 * reachability, DNS and versions, its data pipelines, drift between stores,
 * and — last — that nothing outside the probes' own objects changed. Every
 * driver call comes in through hooks, so the core stays free of drivers.
 *
 * Checks, in order (the first two and the data checks run in parallel):
 * `system.dependencies.availability`, `system.dependencies.versions`, the
 * given `checks` (flows), `data.pipeline.<name>` per pipeline,
 * `data.sync.drift` (when `drift` is given), `system.isolation` (when
 * `isolation` is given). Invalid options give a probe whose `issues` name the
 * field; it runs nothing.
 *
 * ```ts
 * system({
 *   targets: [{ name: 'orders-db', url: process.env.DATABASE_URL!, version: async () => (await pool.query('show server_version')).rows[0].server_version }],
 *   versions: { 'orders-db': '>=14 <17' },
 * })
 * ```
 */
export function system(input: SystemOptions): Probe<SystemResources | undefined> {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<SystemOptions>;
  const target = { kind: 'system', name: typeof raw.name === 'string' && raw.name !== '' ? raw.name : 'system' };
  const secrets = [...new Set((Array.isArray(raw.targets) ? raw.targets : []).flatMap((entry) => (typeof entry?.url === 'string' ? secretsOfUrl(entry.url) : [])))];
  const parsed = parseOptions(systemOptionsSchema, input);
  if (!parsed.ok) return { target, checks: [], issues: parsed.issues, secrets };
  const options = input;
  const { issues, ranges } = systemOptionIssues(options);
  if (issues.length > 0) return { target, checks: [], issues, secrets };

  const hookTimeoutMs = options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  const isolation = options.isolation?.length ? { fingerprints: options.isolation, hookTimeoutMs } : undefined;
  const checks: Check<SystemResources | undefined>[] = [
    availabilityCheck({ targets: options.targets, hookTimeoutMs, warnMs: options.availability?.warnMs ?? DEFAULT_WARN_MS }),
    versionsCheck({ targets: options.targets, ranges, hookTimeoutMs }),
    ...(options.checks ?? []),
    ...(options.pipelines ?? []).map(pipelineCheck),
    ...(options.drift ? [driftCheck(options.drift)] : []),
    // Last, and not parallel: it runs once every other check of this probe has ended.
    ...(isolation ? [isolationCheck(isolation)] : []),
  ];
  return {
    target,
    checks,
    secrets,
    ...(isolation ? { setup: async (context): Promise<SystemResources> => ({ before: await takeFingerprints(isolation, context) }) } : {}),
  };
}
