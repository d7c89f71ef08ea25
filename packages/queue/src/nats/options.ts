import { z } from 'zod';
import { nonNegative, opsSchema, opsThresholdsSchema, positive, samplingSchema, staleAfterMs } from '../shared/options.ts';

const server = z.string().regex(/^(nats|tls):\/\/[^\s/]+$|^[^\s:/]+:\d{1,5}$/, { message: 'expected nats://host:port or host:port' });

const stream = z.strictObject({
  name: z.string().min(1),
  /** Subjects that must be captured by this stream (published there, they land in it). */
  subjects: z.array(z.string().min(1)).optional(),
  storage: z.enum(['file', 'memory']).optional(),
  replicas: positive.optional(),
  retention: z.enum(['limits', 'interest', 'workqueue']).optional(),
});

const consumer = z.strictObject({
  stream: z.string().min(1),
  /** The durable (or named) consumer. */
  name: z.string().min(1),
  /** Pending (undelivered) messages above this warn (default: Burrow-style trend only). */
  maxPending: nonNegative.optional(),
});

const thresholds = opsThresholdsSchema.extend({
  /** JetStream storage or memory use above this share of the account limit warns (default 0.8). */
  usageRatio: z.number().min(0).max(1).default(0.8),
});

/** The options schema of {@link nats}. */
export const natsOptionsSchema = z.strictObject({
  /** `nats://host:4222`, `host:4222`, or several. */
  servers: z.union([server, z.array(server).min(1)]),
  /** The target's name in results (default `nats`). */
  name: z.string().min(1).optional(),
  user: z.string().optional(),
  /** Redacted everywhere. */
  pass: z.string().optional(),
  /** Redacted everywhere. */
  token: z.string().optional(),
  /** Bound on connecting, in ms (default 3 000). */
  connectTimeoutMs: positive.default(3_000),
  /** The probe's own streams (`probe_<runId>_*`): mirror production settings here to test them. */
  probeStream: z.strictObject({
    storage: z.enum(['file', 'memory']).default('file'),
    replicas: positive.default(1),
    /** Limits, e.g. `max_bytes` (a stream that refuses the probe's writes is a finding). */
    maxMsgs: z.number().int().default(-1),
    maxBytes: z.number().int().default(-1),
    discard: z.enum(['old', 'new']).default('old'),
  }).prefault({}),
  expect: z.strictObject({
    /** Lowest acceptable nats-server version, e.g. `'2.10'`. */
    minVersion: z.string().regex(/^\d+(\.\d+){0,2}$/, { message: 'expected a version like "2.10"' }).optional(),
  }).prefault({}),
  /** Declared streams: routing (existence, subjects, storage, replicas, retention) and persistence. */
  streams: z.array(stream).default([]),
  /** Declared consumers: backlog (pending over the window) and dlq-health (max-deliver advisories, redeliveries). */
  consumers: z.array(consumer).default([]),
  ops: opsSchema.prefault({}),
  sampling: samplingSchema.prefault({}),
  thresholds: thresholds.prefault({}),
  /** Probe-owned streams of other runs older than this are reported as stale leftovers (default 1 h). */
  staleAfterMs,
});

export type NatsProbeOptions = z.input<typeof natsOptionsSchema>;
export type NatsOptions = z.output<typeof natsOptionsSchema>;
export type DeclaredStream = z.output<typeof stream>;
export type DeclaredConsumer = z.output<typeof consumer>;
