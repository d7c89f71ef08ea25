/**
 * The small interface the shared operations checks (publish, consume,
 * ordering, persistence, throughput) are written against once. Each broker
 * (Kafka, RabbitMQ, NATS JetStream) implements it over probe-owned
 * destinations only: topics, queues or streams named with the run id.
 */

/** A message the probe sends. `id` travels in the `probe-message-id` header. */
export interface OutboundMessage {
  id: string;
  /** Kafka: the partitioning key. Other brokers carry it as a header. */
  key?: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** The broker's confirmation of one message (Kafka acks=all, AMQP publisher confirm, JetStream PubAck). */
export interface Receipt {
  id: string;
  /** Kafka partition; absent where the destination has none. */
  partition?: number;
  /** Kafka offset, JetStream stream sequence; AMQP has none (`-`). */
  position: string;
}

/** A message as a probe-owned consumer received it. */
export interface Delivery {
  /** The `probe-message-id` header, when present. */
  id: string | undefined;
  key?: string;
  value: Buffer;
  headers: Record<string, string>;
  partition?: number;
  position: string;
  /** The broker says it was delivered before (AMQP `redelivered`, JetStream delivery count > 1). */
  redelivered: boolean;
  /** Epoch ms the probe received it. */
  receivedAt: number;
}

/** What {@link Subscription.take} waits for. */
export interface TakeOptions {
  /** Deliveries wanted; `take` returns early with fewer when the time is up. */
  count: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Only deliveries for which this is true count (others stay for later calls). */
  filter?: (delivery: Delivery) => boolean;
  /** Acknowledge (commit) each returned delivery. Default false. */
  ack?: boolean;
}

/** A probe-owned consumer. Closing it without acknowledging leaves messages for the next consumer of the same name. */
export interface Subscription {
  take(options: TakeOptions): Promise<Delivery[]>;
  close(): Promise<void>;
}

/** One broker, as the shared operations checks see it. */
export interface QueueDriver {
  /** What a destination is called on this broker: `topic`, `queue`, `stream`. */
  readonly noun: string;
  /** Create (once; later calls return the same name) the probe-owned destination for `purpose`. */
  destination(purpose: string, signal: AbortSignal): Promise<string>;
  /** Send and wait for the broker's confirmation of every message. */
  publish(destination: string, messages: readonly OutboundMessage[], signal: AbortSignal): Promise<Receipt[]>;
  /**
   * A consumer on `destination`; a second subscription with the same `consumer`
   * name resumes where the first left off. Teardown closes any left open.
   * `autoAck`: the broker counts a message consumed once delivered (throughput).
   */
  subscribe(destination: string, consumer: string, signal: AbortSignal, options?: { autoAck?: boolean }): Promise<Subscription>;
  /** The durability settings of a destination, as reported by `queue.ops.persistence`. */
  durability(destination: string, signal: AbortSignal): Promise<Record<string, unknown>>;
  /** One-paste commands that show the destination's messages, for evidence. */
  reproduce(destination: string): { publish: string; consume: string };
}

const REFUSAL = Symbol.for('probe.queue.refusal');

/**
 * The broker received the request and said no (Kafka NOT_ENOUGH_REPLICAS,
 * an AMQP nack or return, a JetStream publish error). Checks report it as
 * `fail` with the broker's words; connection-level problems stay errors.
 */
export class BrokerRefusal extends Error {
  readonly [REFUSAL] = true;
  /** The broker's error name or code (`NOT_ENOUGH_REPLICAS`, `NO_ROUTE`, `503`). */
  readonly reason: string;

  constructor(reason: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BrokerRefusal';
    this.reason = reason;
  }
}

/** True for a {@link BrokerRefusal} from any copy of this package. */
export function isRefusal(error: unknown): error is BrokerRefusal {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[REFUSAL] === true;
}
