import type { Delivery, TakeOptions } from './driver.ts';

/** Deliveries held at most; a consumer that outruns its readers drops the oldest (bounded memory). */
const MAX_BUFFERED = 200_000;

/**
 * The buffer behind every driver's {@link Subscription}: the broker client
 * pushes deliveries in, `take` waits for the ones it wants. Deliveries that
 * no `take` matched stay for later calls.
 */
export interface Inbox<D extends Delivery> {
  push(delivery: D): void;
  /** The consumer died: pending and later `take`s reject with this. */
  fail(error: unknown): void;
  take(options: TakeOptions): Promise<D[]>;
}

export function createInbox<D extends Delivery>(ack: (delivery: D, signal: AbortSignal) => Promise<void>): Inbox<D> {
  const buffer: D[] = [];
  const waiters = new Set<() => void>();
  let failure: { error: unknown } | undefined;
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  return {
    push(delivery) {
      buffer.push(delivery);
      if (buffer.length > MAX_BUFFERED) buffer.shift();
      wake();
    },
    fail(error) {
      failure = { error };
      wake();
    },
    async take({ count, timeoutMs, signal, filter, ack: shouldAck }) {
      const taken: D[] = [];
      const deadline = Date.now() + timeoutMs;
      const collect = () => {
        for (let index = 0; index < buffer.length && taken.length < count; ) {
          const delivery = buffer[index]!;
          if (!filter || filter(delivery)) {
            taken.push(delivery);
            buffer.splice(index, 1);
          } else {
            index++;
          }
        }
      };
      collect();
      while (taken.length < count && Date.now() < deadline) {
        if (failure) throw failure.error;
        signal.throwIfAborted();
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
          waiters.add(done);
          signal.addEventListener('abort', done, { once: true });
        });
        collect();
      }
      signal.throwIfAborted();
      if (shouldAck) for (const delivery of taken) await ack(delivery, signal);
      return taken;
    },
  };
}
