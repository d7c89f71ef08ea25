import { randomBytes } from 'node:crypto';
import { retry } from '../retry/retry.ts';
import type { ProxyHandle } from './handle.ts';
import { describeFault, type ProxyFault } from './toxics.ts';

/** One fault put on a proxy, with when it started and stopped. */
export interface FaultRecord {
  proxy: string;
  /** `latency 800 ms downstream`, `down`. */
  fault: string;
  /** The toxic's name on the proxy (absent for `down`). */
  toxic?: string;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms; absent while in force. */
  stoppedAt?: number;
  /** Why removing it failed, if it did. */
  removeError?: string;
}

/** A fault in force; `remove()` is idempotent and never throws twice for the same cause. */
export interface AppliedFault {
  readonly record: FaultRecord;
  remove(): Promise<void>;
}

/**
 * Every fault a probe put on proxies, so teardown can take off exactly those — also
 * after an abort or a crash of the check — without touching other users' toxics.
 */
export interface FaultLedger {
  readonly records: readonly FaultRecord[];
  /** Put a fault on a proxy and remember it. */
  apply(proxy: ProxyHandle, fault: ProxyFault, options?: { signal?: AbortSignal }): Promise<AppliedFault>;
  /** Remove every fault still in force (newest first, each retried); resolves with the failures' messages. */
  undoAll(): Promise<string[]>;
}

/** Bound on each control call that removes a fault (it must not hang a teardown). */
const REMOVE_TIMEOUT_MS = 2_000;

/**
 * A ledger. Toxic names carry `tag` (default random; probes pass the run id), so a
 * fault left by a killed process is recognisable on a shared Toxiproxy: `probe_<tag>_<n>_<type>`.
 */
export function createFaultLedger(tag: string = randomBytes(3).toString('hex')): FaultLedger {
  const records: FaultRecord[] = [];
  const live = new Set<AppliedFault>();
  let sequence = 0;
  return {
    records,
    async apply(proxy, fault, options = {}) {
      const name = fault.type === 'down' ? undefined : fault.name ?? `probe_${tag}_${++sequence}_${fault.type}`;
      // Until the add is confirmed, teardown removes the toxic by name: an aborted call may still have added it.
      const pending: AppliedFault | undefined = name === undefined ? undefined : {
        record: { proxy: proxy.name, fault: describeFault(fault), toxic: name, startedAt: Date.now() },
        remove: () => proxy.removeToxic(name, { timeoutMs: REMOVE_TIMEOUT_MS }).catch(ignoreNotFound),
      };
      if (pending) live.add(pending);
      const applied = await applyFault(proxy, fault.type === 'down' ? fault : { ...fault, name: name! }, options);
      if (pending) live.delete(pending);
      records.push(applied.record);
      live.add(applied);
      return {
        record: applied.record,
        remove: async () => {
          try {
            await applied.remove();
          } finally {
            live.delete(applied);
          }
        },
      };
    },
    async undoAll() {
      const failures: string[] = [];
      for (const applied of [...live].reverse()) {
        try {
          await applied.remove();
        } catch (error) {
          failures.push(`${applied.record.fault} on ${applied.record.proxy}: ${(error as Error).message}`);
        }
        live.delete(applied);
      }
      return failures;
    },
  };
}

/**
 * Put a fault on a proxy. `down` disables it (and `remove()` re-enables it only if it
 * was enabled before); a toxic is added (and removed by name).
 */
export async function applyFault(proxy: ProxyHandle, fault: ProxyFault, options: { signal?: AbortSignal } = {}): Promise<AppliedFault> {
  const description = describeFault(fault);
  let undo: () => Promise<void>;
  let toxicName: string | undefined;
  if (fault.type === 'down') {
    const wasEnabled = (await proxy.state({ signal: options.signal })).enabled;
    await proxy.setEnabled(false, { signal: options.signal });
    undo = async () => {
      if (wasEnabled) await proxy.setEnabled(true, { timeoutMs: REMOVE_TIMEOUT_MS });
    };
  } else {
    const toxic = await proxy.addToxic(fault, { signal: options.signal });
    toxicName = toxic.name;
    undo = () => proxy.removeToxic(toxic.name, { timeoutMs: REMOVE_TIMEOUT_MS }).catch(ignoreNotFound);
  }
  const record: FaultRecord = { proxy: proxy.name, fault: description, ...(toxicName ? { toxic: toxicName } : {}), startedAt: Date.now() };
  let removal: Promise<void> | undefined;
  return {
    record,
    remove() {
      removal ??= retry(() => undo(), { attempts: 3, backoff: { type: 'constant', delayMs: 50 } }).then(
        () => { record.stoppedAt = Date.now(); },
        (error: unknown) => {
          record.removeError = (error as Error).message;
          removal = undefined;   // a later attempt (teardown) may still succeed
          throw error;
        },
      );
      return removal;
    },
  };
}

/**
 * Run `task` with a fault in force; the fault is removed when the task settles, and
 * at once when `signal` aborts (even if the task ignores the signal and never settles).
 * Toxiproxy's Ruby client's `.apply { }` / `.down { }`, with a guaranteed reset.
 */
export async function withFault<T>(
  proxy: ProxyHandle,
  fault: ProxyFault,
  task: (applied: AppliedFault) => Promise<T> | T,
  options: { signal?: AbortSignal; ledger?: FaultLedger } = {},
): Promise<T> {
  const applied = options.ledger ? await options.ledger.apply(proxy, fault, options) : await applyFault(proxy, fault, options);
  const onAbort = () => void applied.remove().catch(() => {});
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await task(applied);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await applied.remove();
  }
}

/** A toxic already gone (someone reset the proxy) is as good as removed. */
function ignoreNotFound(error: unknown): void {
  if ((error as { status?: number }).status !== 404) throw error;
}
