import type { Check, CheckContext, Outcome } from '../../protocol/types.ts';
import { callHook } from '../call-hook.ts';
import { SYSTEM_CHECKLIST } from '../checklist.ts';
import { endpointOf, resolveHost, tcpConnect } from '../endpoint.ts';
import { plural } from '../text.ts';
import type { SystemTarget } from '../types.ts';

/** What `system.dependencies.availability` found for one target. */
export interface AvailabilityEntry {
  target: string;
  host: string;
  port: number;
  /** The addresses the host resolved to; absent when it did not resolve. */
  resolved?: string[];
  dnsMs?: number;
  /** How it was reached: the target's `ping` hook, or a TCP connect to host:port. */
  via: 'ping' | 'tcp';
  reachable: boolean;
  latencyMs?: number;
  /** Why DNS or the connection failed. */
  error?: string;
}

/** Options of {@link availabilityCheck}. */
export interface AvailabilityCheckOptions {
  targets: readonly SystemTarget[];
  /** Bound on each DNS lookup and each connect/ping. */
  hookTimeoutMs: number;
  /** Latency above this warns. */
  warnMs: number;
}

/**
 * `system.dependencies.availability`: every dependency's host resolves (the
 * system resolver; an IP address counts as resolved) and it answers — its
 * `ping` hook, else a TCP connect — within the bound; latency per target as a
 * metric. All targets are tried at once, each bounded on its own.
 */
export function availabilityCheck(options: AvailabilityCheckOptions): Check {
  return {
    id: 'system.dependencies.availability',
    title: 'Every dependency resolves and answers',
    checklist: [...SYSTEM_CHECKLIST.availability],
    parallel: true,
    timeoutMs: options.hookTimeoutMs * 2 + 1_000,
    run: async (context) => {
      const entries = await Promise.all(options.targets.map((target) => probeTarget(target, options, context)));
      for (const entry of entries) if (entry.latencyMs !== undefined) context.metric(`availability.${entry.target}_ms`, entry.latencyMs, 'ms');
      return judge(entries, options.warnMs);
    },
  };
}

async function probeTarget(target: SystemTarget, options: AvailabilityCheckOptions, context: CheckContext): Promise<AvailabilityEntry> {
  const { host, port } = endpointOf(target.url);
  const bound = { signal: context.signal, runId: context.runId, timeoutMs: options.hookTimeoutMs };
  const entry: AvailabilityEntry = { target: target.name, host, port, via: target.ping ? 'ping' : 'tcp', reachable: false };
  const dns = await callHook(() => resolveHost(host), { ...bound, label: `DNS lookup of ${host}` });
  if (!dns.ok) return { ...entry, error: dns.error.message };
  Object.assign(entry, { resolved: dns.value, dnsMs: dns.ms });
  const reach = target.ping
    ? await callHook(target.ping, { ...bound, label: `ping of ${target.name}` })
    : await callHook(({ signal }) => tcpConnect({ host, port }, signal), { ...bound, label: `connect to ${target.name} (${host}:${port})` });
  if (!reach.ok) return { ...entry, latencyMs: reach.ms, error: reach.error.message };
  return { ...entry, reachable: true, latencyMs: target.ping ? reach.ms : (reach.value as number) };
}

function judge(entries: AvailabilityEntry[], warnMs: number): Outcome {
  const unresolved = entries.filter((entry) => entry.resolved === undefined);
  const unreachable = entries.filter((entry) => entry.resolved !== undefined && !entry.reachable);
  const slow = entries.filter((entry) => entry.reachable && (entry.latencyMs ?? 0) > warnMs);
  const evidence: Record<string, unknown> = { targets: entries };
  const broken = [...unresolved, ...unreachable];
  if (broken.length > 0) {
    evidence.repro = broken.map((entry) => (entry.resolved === undefined ? `getent hosts ${entry.host}` : `nc -vz -w 2 ${entry.host} ${entry.port}`)).join('\n');
    const parts = [
      ...unresolved.map((entry) => `${entry.target}: ${entry.host} did not resolve (${entry.error})`),
      ...unreachable.map((entry) => `${entry.target}: ${entry.error}`),
    ];
    return { status: 'fail', summary: `${broken.length} of ${plural(entries.length, 'dependency', 'dependencies')} unavailable — ${parts.join('; ')}`, evidence };
  }
  const slowest = entries.reduce<AvailabilityEntry | undefined>((worst, entry) => ((entry.latencyMs ?? 0) > (worst?.latencyMs ?? -1) ? entry : worst), undefined);
  const worst = slowest ? ` (slowest: ${slowest.target} ${slowest.latencyMs} ms)` : '';
  if (slow.length > 0) {
    const names = slow.map((entry) => `${entry.target} ${entry.latencyMs} ms`).join(', ');
    return { status: 'warn', summary: `${all(entries.length)} ${verb(entries.length, 'answer')}, but slowly: ${names} > ${warnMs} ms`, evidence };
  }
  return { status: 'pass', summary: `${all(entries.length)} ${verb(entries.length, 'resolve')} and ${verb(entries.length, 'answer')}${worst}`, evidence };
}

function all(count: number): string {
  return count === 1 ? 'the 1 dependency' : `all ${count} dependencies`;
}

function verb(count: number, word: string): string {
  return count === 1 ? `${word}s` : word;
}
