import { z } from 'zod';
import { nonNegative, opsSchema, opsThresholdsSchema, positive, samplingSchema } from '../shared/options.ts';

const amqpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'amqp:' || url.protocol === 'amqps:') && url.hostname !== '';
  } catch {
    return false;
  }
}, { message: 'expected an amqp:// or amqps:// URL' });

/** AMQP table values (queue arguments, headers). */
const table = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const queue = z.strictObject({
  name: z.string().min(1),
  /** Expected durability (checked by re-declaring with it: the broker refuses an inequivalent declare). */
  durable: z.boolean().optional(),
  /** Expected arguments (`x-queue-type`, `x-dead-letter-exchange`, …), checked the same way. */
  arguments: table.optional(),
  /** Consumers the queue must have (`queue.mgmt.scaling`; default 1). */
  minConsumers: nonNegative.default(1),
});

const exchange = z.strictObject({
  name: z.string().min(1),
  /** Expected type (checked with durability by an equivalent declare). */
  type: z.enum(['direct', 'topic', 'fanout', 'headers']).optional(),
  durable: z.boolean().optional(),
});

const deadLetterRoute = z.strictObject({
  /** The queue whose consumer must reject the poison message. */
  queue: z.string().min(1),
  /** A message the consumer cannot process: sent once, marked, to the queue. */
  poison: z.strictObject({ value: z.unknown(), headers: table.optional() }),
  /** The queue's `x-dead-letter-exchange`. */
  deadLetterExchange: z.string().min(1),
  /** The queue's `x-dead-letter-routing-key` (default: the original routing key, i.e. the queue name). */
  deadLetterRoutingKey: z.string().optional(),
  /** How long dead-lettering may take, in ms (default 5 000). */
  timeoutMs: positive.default(5_000),
});

const thresholds = opsThresholdsSchema.extend({
  /** Ready messages in a declared queue above this warn (default 1 000, as awesome-prometheus-alerts). */
  readyMessages: nonNegative.default(1_000),
  /** A dead-letter queue holding more than this warns (default 0). */
  dlqMessages: nonNegative.default(0),
});

/** The options schema of {@link rabbitmq}. */
export const rabbitmqOptionsSchema = z.strictObject({
  /** `amqp://user:password@host:5672/vhost`; the password is redacted everywhere. */
  url: amqpUrl,
  /** The target's name in results (default `rabbitmq`). */
  name: z.string().min(1).optional(),
  /** Bound on connecting (TCP and the AMQP handshake), in ms (default 3 000). */
  connectTimeoutMs: positive.default(3_000),
  /** The probe's own queues (`probe.<runId>.*`): mirror production settings here to test them. */
  probeQueue: z.strictObject({
    /** Arguments such as `{ 'x-queue-type': 'quorum' }` (default: a classic durable queue). */
    arguments: table.default({}),
  }).prefault({}),
  /** What the broker should be. */
  expect: z.strictObject({
    /** Lowest acceptable RabbitMQ version, e.g. `'3.13'` (default: any). */
    minVersion: z.string().regex(/^\d+(\.\d+){0,2}$/, { message: 'expected a version like "3.13"' }).optional(),
  }).prefault({}),
  /** Declared queues: routing (existence and settings), backlog (depth over the window), scaling (consumers). */
  queues: z.array(queue).default([]),
  /** Declared exchanges: routing. */
  exchanges: z.array(exchange).default([]),
  /** Dead-letter routes to verify with one poison message each. */
  deadLetter: z.array(deadLetterRoute).default([]),
  /** Dead-letter queues to watch (`queue.processing.dlq-health`). */
  dlqQueues: z.array(z.string().min(1)).default([]),
  ops: opsSchema.prefault({}),
  sampling: samplingSchema.prefault({}),
  thresholds: thresholds.prefault({}),
});

export type RabbitmqProbeOptions = z.input<typeof rabbitmqOptionsSchema>;
export type RabbitmqOptions = z.output<typeof rabbitmqOptionsSchema>;
export type DeclaredQueue = z.output<typeof queue>;
export type DeclaredExchange = z.output<typeof exchange>;
export type DeadLetterRoute = z.output<typeof deadLetterRoute>;
