import type { NatsConnection, Subscription } from '@nats-io/transport-node';

/** A JetStream advisory the probe listens for (`$JS.EVENT.ADVISORY.CONSUMER.<kind>.<stream>.<consumer>`). */
export interface Advisory {
  type: string;
  stream: string;
  consumer: string;
  stream_seq?: number;
  deliveries?: number;
}

/** Dead-letter advisories: a message that exhausted `max_deliver`, or one a client terminated (`+TERM`). */
const DEAD_LETTER_KINDS = ['MAX_DELIVERIES', 'MSG_TERMINATED'] as const;

/** Collect the dead-letter advisories of one consumer until `stop()`; `onAdvisory` is called for each as it arrives. */
export function listenForDeadLetters(connection: NatsConnection, stream: string, consumer: string): { advisories: Advisory[]; onAdvisory(listener: () => void): void; stop(): Promise<void> } {
  const advisories: Advisory[] = [];
  const listeners: (() => void)[] = [];
  const subscriptions: Subscription[] = DEAD_LETTER_KINDS.map((kind) => connection.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.${kind}.${stream}.${consumer}`, {
    callback: (error, message) => {
      if (error) return;
      try {
        advisories.push(message.json<Advisory>());
        for (const listener of listeners) listener();
      } catch {
        // not JSON: not an advisory
      }
    },
  }));
  return {
    advisories,
    onAdvisory: (listener) => { listeners.push(listener); },
    stop: async () => {
      await connection.flush().catch(() => {});
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}
