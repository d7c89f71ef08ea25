import { ProbeError, ProbeErrorCode, type ProbeContext } from '@probe/core';
import type { FakeUpstream } from '@probe/api/testing';
import type { FaultProxy } from './proxy/fault-proxy.ts';
import { createFaultLedger, type FaultLedger } from './proxy/faults.ts';
import { startFakeDependency } from './testing/fake-dependency.ts';
import type { ResilienceOptions } from './types.ts';
import { DEFAULT_TOLERANCE, type Tolerance } from './verify/arrivals.ts';

/** What the verifier checks share: the fake dependency, the fault proxy in front of it, and the faults put on it. */
export interface ResilienceResources {
  upstream: FakeUpstream;
  /** In front of the fake upstream, listening where the subject's dependency points. */
  proxy: FaultProxy;
  /** `http://host:port` of the dependency as the subject sees it. */
  url: string;
  ledger: FaultLedger;
  /** Stop the proxy and the fake upstream. */
  close(): Promise<void>;
  /** When the breaker checks last saw a failing call reach the dependency (epoch ms): the open state's start. */
  lastTripAt?: number;
}

/** Options with their defaults applied. */
export type ResolvedOptions = ResilienceOptions & {
  route: string;
  actionTimeoutMs: number;
  tolerance: Tolerance;
};

/** Apply defaults. */
export function resolveOptions(options: ResilienceOptions): ResolvedOptions {
  return {
    ...options,
    route: options.dependency?.route ?? '/*',
    actionTimeoutMs: options.actionTimeoutMs ?? 3_000,
    tolerance: { ...DEFAULT_TOLERANCE, ...options.tolerance },
  };
}

/** Start the fake dependency: @probe/api's fake upstream on a free port, behind a fault proxy at `dependency.listen`. */
export async function openResources(options: ResolvedOptions, context: ProbeContext): Promise<ResilienceResources> {
  try {
    const dependency = await startFakeDependency({
      name: `probe_${context.runId}_dependency`,
      routes: { [options.route]: { status: 200, body: { ok: true } } },
      ...(options.dependency?.listen ? { listen: options.dependency.listen } : {}),
    });
    return { upstream: dependency.upstream, proxy: dependency.proxy, url: dependency.url, ledger: createFaultLedger(context.runId), close: dependency.close };
  } catch (error) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `cannot listen on dependency.listen ${options.dependency?.listen}: ${(error as Error).message}`, {
      hint: 'pick a free port, or stop what holds it',
    });
  }
}

/** Remove every fault, stop the proxy and the fake upstream (hanging requests are ended). */
export async function closeResources(resources: ResilienceResources | undefined): Promise<void> {
  if (!resources) return;
  const failures = await resources.ledger.undoAll();
  await resources.close();
  if (failures.length > 0) throw new Error(`could not remove every fault: ${failures.join('; ')}`);
}
