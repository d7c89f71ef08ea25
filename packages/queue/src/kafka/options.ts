import { z } from 'zod';
import { fn, nonNegative, opsSchema, opsThresholdsSchema, positive, samplingSchema, staleAfterMs } from '../shared/options.ts';

const brokerAddress = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^\s:/]+):\d{1,5}$/, { message: 'expected host:port (e.g. "127.0.0.1:9092")' });

/** `'a:9092,b:9092'` or `['a:9092', 'b:9092']` → a list; each entry `host:port`. */
const brokers = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
  z.array(brokerAddress).min(1, { message: 'expected at least one broker (host:port)' }),
);

const sasl = z.strictObject({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: z.string().min(1),
  password: z.string(),
});

const ssl = z.union([
  z.boolean(),
  z.strictObject({
    /** PEM CA certificate(s) to trust. */
    ca: z.union([z.string(), z.array(z.string())]).optional(),
    /** PEM client certificate (mTLS). */
    cert: z.string().optional(),
    /** PEM client key (mTLS). */
    key: z.string().optional(),
    rejectUnauthorized: z.boolean().optional(),
    servername: z.string().optional(),
  }),
]);

/** A message the probe sends to a user's topic (handler and DLQ checks). */
export interface HandlerMessage {
  key?: string;
  /** A string or Buffer is sent as is; anything else as JSON. */
  value: unknown;
  headers?: Record<string, string>;
}

/** A received Kafka message, as a handler's `match` predicate sees it. */
export interface ObservedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  /** The payload as UTF-8 text. */
  value: string;
  headers: Record<string, string>;
  /** Broker timestamp, epoch ms. */
  timestamp: number;
}

/** What a handler's `verify` function gets. */
export interface VerifyContext {
  /** The probe message id the message carries (header `probe-message-id`). */
  id: string;
  signal: AbortSignal;
}

const message = z.union([
  z.strictObject({
    key: z.string().optional(),
    value: z.unknown().refine((value) => value !== undefined, { message: 'is required' }),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  fn<(id: string) => HandlerMessage>('a message ({ key?, value, headers? }) or a function (probeMessageId) => message'),
]);

const topic = z.strictObject({
  name: z.string().min(1),
  /** Expected partition count. */
  partitions: positive.optional(),
  /** Expected replication factor. */
  replicationFactor: positive.optional(),
  /** Expected `cleanup.policy`. */
  cleanupPolicy: z.enum(['delete', 'compact', 'compact,delete']).optional(),
  /** Expected values of any other topic configs (`retention.ms`, `min.insync.replicas`, …), compared as strings. */
  configs: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  /** Producers key this topic: each key must stay on one partition (sampled by `queue.ops.ordering`). */
  keyed: z.boolean().default(false),
});

const group = z.union([
  z.string().min(1).transform((id) => ({ id, topics: undefined as string[] | undefined, maxLag: undefined as number | undefined })),
  z.strictObject({
    id: z.string().min(1),
    /** Topics the group must consume (default: those it has committed offsets for). */
    topics: z.array(z.string().min(1)).min(1).optional(),
    /** Total lag above this warns, on top of Burrow's trend rules (default: `thresholds.lag`). */
    maxLag: nonNegative.optional(),
  }),
]);

const handler = z.strictObject({
  /** Shown in results (`orders-enricher`). */
  name: z.string().min(1),
  /** The topic the handler consumes; the probe sends one marked message to it. */
  input: z.string().min(1),
  message,
  /** Topic where the handler's effect appears. Give `output` or `verify` (or both). */
  output: z.string().min(1).optional(),
  /** Which output message is the effect (default: it carries the probe message id in a header, its value or its key). */
  match: fn<(message: ObservedMessage, id: string) => boolean>('a function (message, probeMessageId) => boolean').optional(),
  /** Polled until it returns true or the window ends: checks an effect elsewhere (a row, a cache key, an HTTP call). */
  verify: fn<(context: VerifyContext) => boolean | Promise<boolean>>('a function ({ id, signal }) => boolean').optional(),
  /** How long the effect may take, in ms (default 5 000). */
  timeoutMs: positive.default(5_000),
}).refine((value) => value.output !== undefined || value.verify !== undefined, { message: 'give output (a topic) or verify (a function), got neither', path: ['output'] });

const dlq = z.strictObject({
  /** The topic whose consumer must dead-letter the poison message. */
  input: z.string().min(1),
  /** A message the consumer cannot process. */
  poison: message,
  /** The dead-letter topic (default: whichever of `<input>.DLT`, `<input>-dlt` exists). */
  topic: z.string().min(1).optional(),
  /** Expected delivery attempts before dead-lettering (compared when observable: retry topics or an attempts header). */
  attempts: positive.optional(),
  /** Header carrying the attempt count on the dead letter (default: a few common names). */
  attemptsHeader: z.string().min(1).optional(),
  /** Retry topics the message passes through (default: `<input>-retry*` topics that exist). */
  retryTopics: z.array(z.string().min(1)).optional(),
  /** How long dead-lettering may take, in ms (default 10 000). */
  timeoutMs: positive.default(10_000),
});

const thresholds = opsThresholdsSchema.extend({
  /** A group's total lag above this warns (default: none; Burrow's trend rules decide). */
  lag: nonNegative.optional(),
  /** A DLQ topic holding more messages than this warns (default 0). */
  dlqMessages: nonNegative.default(0),
  /** A DLQ message older than this warns (default 24 h). */
  dlqAgeMs: positive.default(86_400_000),
  /** A group still rebalancing after this many ms of the window fails (default 2 000). */
  rebalanceMs: positive.default(2_000),
});

/** The options schema of {@link kafka}; parsed with `parseOptions` from @probe/core. */
export const kafkaOptionsSchema = z.strictObject({
  /** Seed brokers: `'host:9092'`, `'a:9092,b:9092'` or an array. */
  brokers,
  /** The target's name in results (default `kafka`). */
  name: z.string().min(1).optional(),
  /** Kafka client id (default `probe`); brokers log it and quotas may key on it. */
  clientId: z.string().min(1).default('probe'),
  /** TLS: `true`, or CA/client certificates. Must match the listener. */
  ssl: ssl.optional(),
  /** SASL/PLAIN or SCRAM credentials. The password is redacted everywhere. */
  sasl: sasl.optional(),
  /** Bound on each TCP/TLS connect and the preflight handshake, in ms (default 3 000). */
  connectionTimeoutMs: positive.default(3_000),
  /** Bound on each Kafka request, in ms (default 5 000). */
  requestTimeoutMs: positive.default(5_000),
  /** The probe's own topics (`probe.<runId>.*`): mirror production settings here to test them. */
  probeTopic: z.strictObject({
    /** Partitions (default 3). */
    partitions: positive.default(3),
    /** Replication factor (default: the broker's `default.replication.factor`). */
    replicationFactor: z.number().int().min(-1).default(-1),
    /** Topic configs, e.g. `{ 'min.insync.replicas': '2' }`. */
    configs: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  }).prefault({}),
  /** What the cluster should look like (`queue.mgmt.health`). */
  expect: z.strictObject({
    /** Live brokers expected (default: whatever answers). */
    brokers: positive.optional(),
  }).prefault({}),
  /** Declared topics: checked by routing (existence, partitions, RF, configs), health and persistence. */
  topics: z.array(topic).default([]),
  /** Consumer groups whose lag (backlog) and membership (scaling) are read through the admin API; never joined. */
  groups: z.array(group).default([]),
  /** Handlers to exercise with one marked message each (`queue.processing.handler`). */
  handlers: z.array(handler).default([]),
  /** Dead-letter routing to verify with one poison message each (`queue.processing.retry-dlq`). */
  dlq: z.array(dlq).default([]),
  /** More DLQ topics to watch (`queue.processing.dlq-health`). */
  dlqTopics: z.array(z.string().min(1)).default([]),
  /** Also watch every topic named like a dead-letter topic (`.DLT`, `-dlt`, `.dlq`, `-dead-letter`; default true). */
  discoverDlqTopics: z.boolean().default(true),
  ops: opsSchema.prefault({}),
  sampling: samplingSchema.prefault({}),
  thresholds: thresholds.prefault({}),
  /** Probe-owned topics and groups of other runs older than this are reported as stale leftovers (default 1 h). */
  staleAfterMs,
});

/** What `kafka()` accepts (defaults not yet applied). */
export type KafkaProbeOptions = z.input<typeof kafkaOptionsSchema>;
/** The options after defaults. */
export type KafkaOptions = z.output<typeof kafkaOptionsSchema>;
/** A declared topic after defaults. */
export type DeclaredTopic = z.output<typeof topic>;
/** A declared group after defaults. */
export type DeclaredGroup = z.output<typeof group>;
/** A declared handler after defaults. */
export type DeclaredHandler = z.output<typeof handler>;
/** A declared dead-letter route after defaults. */
export type DeclaredDlq = z.output<typeof dlq>;
/** Kafka thresholds after defaults. */
export type KafkaThresholds = z.output<typeof thresholds>;
