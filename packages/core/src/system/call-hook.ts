import { withDeadline } from '../engine/deadline.ts';
import { ProbeErrorCode, toErrorInfo } from '../errors.ts';
import type { HookOutcome, SystemHookContext } from './types.ts';

/**
 * The code of an `error` caused by a hook the config supplied (a version query,
 * a pipeline's source) that threw. A hook that cannot reach its system is
 * reported with this code rather than `PROBE_ERR_UNREACHABLE`: the system
 * probe's own target is the whole system, and one unreachable dependency must
 * not open its breaker and end its other checks.
 */
export const SYSTEM_ERR_HOOK = 'SYSTEM_ERR_HOOK';

/** Options of {@link callHook}. */
export interface CallHookOptions {
  /** Aborts the hook (the check's signal). */
  signal: AbortSignal;
  runId: string;
  /** Bound on this call. */
  timeoutMs: number;
  /** Names the hook in messages: `version of orders-db`. */
  label: string;
}

/**
 * Call a hook within its bound and never throw: the value, or the error as
 * `{ code, message }` (`PROBE_ERR_TIMEOUT` past the bound, `PROBE_ERR_ABORTED`
 * on an interrupt, else {@link SYSTEM_ERR_HOOK}), with the time it took.
 */
export async function callHook<T>(hook: (context: SystemHookContext) => Promise<T> | T, options: CallHookOptions): Promise<HookOutcome<T>> {
  const started = performance.now();
  try {
    const value = await withDeadline((signal) => hook({ signal, runId: options.runId }), {
      timeoutMs: options.timeoutMs, parent: options.signal, label: options.label,
    });
    return { ok: true, value, ms: elapsed(started) };
  } catch (error) {
    return { ok: false, error: hookError(error, options.label), ms: elapsed(started) };
  }
}

/** A hook's failure as `{ code, message }` that cannot trip the system target's breaker. */
export function hookError(error: unknown, label: string): { code: string; message: string } {
  const info = toErrorInfo(error);
  const kept: string[] = [ProbeErrorCode.TIMEOUT, ProbeErrorCode.ABORTED, ProbeErrorCode.AUTH, ProbeErrorCode.CONFIG];
  const code = kept.includes(info.code) ? info.code : SYSTEM_ERR_HOOK;
  return { code, message: info.message.startsWith(label) ? info.message : `${label}: ${info.message}` };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
