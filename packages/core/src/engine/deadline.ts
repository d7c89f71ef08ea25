import { ProbeError, ProbeErrorCode } from '../errors.ts';

/** Options of {@link withDeadline}. */
export interface DeadlineOptions {
  timeoutMs: number;
  /** The run's signal: aborting it ends the task at once with `PROBE_ERR_ABORTED`. */
  parent?: AbortSignal;
  /** Named in the timeout message: `check db.connection.pooling`. */
  label: string;
}

/**
 * Run `task` with a deadline. The task gets a signal that aborts at the deadline
 * (or when `parent` aborts); the returned promise settles then even when the task
 * ignores its signal, so nothing can hang a run. A task left running is detached
 * (its late rejection is swallowed).
 */
export function withDeadline<T>(task: (signal: AbortSignal) => Promise<T> | T, options: DeadlineOptions): Promise<T> {
  const controller = new AbortController();
  const { timeoutMs, parent, label } = options;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      action();
    };
    const onParentAbort = () => {
      const error = new ProbeError(ProbeErrorCode.ABORTED, `${label} was aborted: the run was interrupted`, { cause: parent?.reason });
      controller.abort(error);
      finish(() => reject(error));
    };
    const timer = setTimeout(() => {
      const error = new ProbeError(ProbeErrorCode.TIMEOUT, `${label} did not finish within ${timeoutMs} ms`, {
        hint: 'raise its timeoutMs, or check why the target is slow',
      });
      controller.abort(error);
      finish(() => reject(error));
    }, timeoutMs);
    if (parent?.aborted) {
      onParentAbort();
      return;
    }
    parent?.addEventListener('abort', onParentAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(task(controller.signal));
    } catch (error) {
      finish(() => reject(error));
      return;
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(controller.signal.aborted ? controller.signal.reason : error)),
    );
  });
}
