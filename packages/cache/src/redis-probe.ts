import { isSecretKey, parseOptions, secretsOfUrl, type Probe } from '@probe/core';
import { distributionCheck } from './checks/distribution.ts';
import { evictionCheck } from './checks/eviction.ts';
import { expirationCheck } from './checks/expiration.ts';
import { hitRateCheck } from './checks/hit-rate.ts';
import { invalidationCheck } from './checks/invalidation.ts';
import { latencyCheck } from './checks/latency.ts';
import { memoryCheck } from './checks/memory.ts';
import { readWriteCheck } from './checks/read-write.ts';
import { recoveryCheck } from './checks/recovery.ts';
import type { CacheCheck } from './checks/shared.ts';
import { slowlogCheck } from './checks/slowlog.ts';
import { stalenessCheck } from './checks/staleness.ts';
import { syncCheck } from './checks/sync.ts';
import { ttlCoverageCheck } from './checks/ttl-coverage.ts';
import { redisOptionsSchema, type RedisProbeOptions, type ResolvedOptions } from './options.ts';
import { closeResources, openResources, type CacheResources } from './resources.ts';

/**
 * Every check, in run order. They run one after another: the hit-rate window
 * must not see the probe's own reads, and a production Redis never gets more
 * than one probe command at a time from one connection.
 */
export const CHECKS: readonly CacheCheck[] = [
  readWriteCheck, expirationCheck, invalidationCheck, distributionCheck, latencyCheck,
  hitRateCheck, memoryCheck, evictionCheck, ttlCoverageCheck, slowlogCheck,
  syncCheck, stalenessCheck, recoveryCheck,
];

/** The engine's default deadline per check. */
const DEFAULT_TIMEOUT_MS = 5_000;
/** Slack on top of a check's own waits (connects, INFO, reads). */
const SLACK_MS = 2_000;

/**
 * A probe of one Redis deployment (standalone, primary with replicas, or
 * cluster) covering the checklist's Cache Integration section. Invalid
 * options give a probe whose `issues` name the field; it runs nothing.
 *
 * ```ts
 * redis({ url: 'redis://:secret@cache:6379', keyPrefix: 'cache:' })
 * ```
 */
export function redis(input: RedisProbeOptions): Probe<CacheResources> {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<RedisProbeOptions>;
  const target = { kind: 'redis', name: raw.name ?? 'redis', ...(typeof raw.url === 'string' ? { url: raw.url } : {}) };
  const parsed = parseOptions(redisOptionsSchema, input);
  if (!parsed.ok) return { target, checks: [...CHECKS], issues: parsed.issues, secrets: secretsOf(raw) };
  const options = parsed.value;
  return {
    target,
    checks: CHECKS.map((check) => withTimeout(check, options)),
    secrets: secretsOf(options),
    setup: (context) => openResources(options, context),
    teardown: (_context, resources) => closeResources(resources),
  };
}

/** Give checks whose waits grow with the options a deadline that fits them. */
function withTimeout(check: CacheCheck, options: ResolvedOptions): CacheCheck {
  const { sample, thresholds } = options;
  const scenarios = options.invalidation === undefined ? [] : Array.isArray(options.invalidation) ? options.invalidation : [options.invalidation];
  const needs: Record<string, number> = {
    [expirationCheck.id]: sample.ttlMs + thresholds.expiryToleranceMs,
    [invalidationCheck.id]: scenarios.reduce((sum, scenario) => sum + scenario.windowMs, 0),
    [latencyCheck.id]: sample.burstTimeMs,
    [hitRateCheck.id]: sample.windowMs,
    [evictionCheck.id]: sample.windowMs,
    [syncCheck.id]: thresholds.replicationLagMs * 2,
    [recoveryCheck.id]: thresholds.recoveryMs,
  };
  const timeoutMs = (needs[check.id] ?? 0) + SLACK_MS;
  return timeoutMs > DEFAULT_TIMEOUT_MS ? { ...check, timeoutMs } : check;
}

/** Passwords in every URL, and secret-named header values of invalidation requests. */
function secretsOf(options: Partial<RedisProbeOptions>): string[] {
  const urls = [options.url, ...(Array.isArray(options.cluster) ? options.cluster : []), ...(options.replicas ?? [])];
  const scenarios = options.invalidation === undefined ? [] : Array.isArray(options.invalidation) ? options.invalidation : [options.invalidation];
  const headers = scenarios.flatMap((scenario) => [scenario?.action, scenario?.prime])
    .flatMap((action) => (action && typeof action === 'object' ? [...secretsOfUrl(action.url), ...Object.entries(action.headers ?? {}).filter(([name]) => isSecretKey(name)).map(([, value]) => value)] : []));
  return [...urls.flatMap((url) => (typeof url === 'string' ? secretsOfUrl(url) : [])), ...headers].filter((value) => typeof value === 'string' && value.length > 0);
}
