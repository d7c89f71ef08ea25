/**
 * Work a check started that may outlive the check: the engine ends a check at
 * its deadline, but a kafkajs join or a topic creation already sent keeps
 * going. Teardown waits for it (bounded) before it lists and deletes what the
 * run created, so nothing is created after the cleanup looked.
 */
export interface Tracker {
  /** Remember `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Wait until everything tracked has settled, or `timeoutMs` passed. Resolves true when all settled. */
  settle(timeoutMs: number): Promise<boolean>;
  /** Functions to call at teardown (consumers to disconnect, channels to close), most recent first. */
  onTeardown(close: () => Promise<unknown>): () => void;
  /** Run every registered close function (errors are collected, not thrown). */
  closeAll(): Promise<unknown[]>;
}

export function createTracker(): Tracker {
  const pending = new Set<Promise<unknown>>();
  const closers = new Set<() => Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(() => {}, () => {}).finally(() => pending.delete(settled));
      pending.add(settled);
      return work;
    },
    async settle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
      const all = Promise.all([...pending]).then(() => true as const);
      const done = await Promise.race([all, timeout]);
      clearTimeout(timer);
      return done;
    },
    onTeardown(close) {
      closers.add(close);
      return () => closers.delete(close);
    },
    async closeAll() {
      const errors: unknown[] = [];
      for (const close of [...closers].reverse()) {
        closers.delete(close);
        await close().catch((error: unknown) => errors.push(error));
      }
      return errors;
    },
  };
}
