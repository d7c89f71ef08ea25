import { z } from 'zod';

const redisUrl = z.string().refine(isRedisUrl, { message: 'expected a redis:// or rediss:// URL' });
const ms = z.number().int().nonnegative();
const positive = z.number().int().positive();
const ratio = z.number().min(0).max(1);
const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', { message: `expected ${what}` });

/** A function the probe calls; it gets the check's signal (abort at the deadline). */
export type ActionFunction = (context: { signal: AbortSignal }) => unknown;

const httpAction = z.strictObject({
  /** The request URL (`http://app:8080/admin/cache/users/1`). */
  url: z.string().refine((value) => /^https?:\/\//i.test(value), { message: 'expected an http:// or https:// URL' }),
  /** Default `POST`. */
  method: z.string().default('POST'),
  headers: z.record(z.string(), z.string()).optional(),
  /** A string is sent as is; anything else as JSON. */
  body: z.unknown().optional(),
  /** Statuses that count as success (default: any 2xx). */
  expectStatus: z.array(z.number().int()).optional(),
});

const action = z.union([httpAction, fn<ActionFunction>('an HTTP request ({ url, method?, headers?, body? }) or a function')]);

const invalidationScenario = z.strictObject({
  /** The key the action must invalidate. Give `key` or `pattern`. */
  key: z.string().min(1).optional(),
  /** A SCAN MATCH pattern: every key it matches before the action must be invalidated. */
  pattern: z.string().min(1).optional(),
  /** What invalidates: an HTTP request or a function. */
  action,
  /** Run first to make sure the key is cached (e.g. `GET /users/1` through the app). */
  prime: action.optional(),
  /** `deleted` (default): the key must disappear; `updated`: its value must change. */
  expect: z.enum(['deleted', 'updated']).default('deleted'),
  /** How long the key may take to be invalidated, in ms (default 2 000). */
  windowMs: positive.default(2_000),
}).refine((value) => (value.key === undefined) !== (value.pattern === undefined), { message: 'give exactly one of key or pattern' });

/** What a `sourceOfTruth` loader gets besides the key. */
export interface SourceContext {
  signal: AbortSignal;
}

/** Loads the value the cache should hold for `key`; `null`/`undefined` means the source has no such record. */
export type SourceLoader = (key: string, context: SourceContext) => unknown;

/** A cached entry as the staleness check reads it: a string's text, or a hash's fields. */
export type CachedValue = string | Record<string, string>;

const sourceMapping = z.strictObject({
  /** A SCAN MATCH pattern of cached keys (`user:*`). */
  pattern: z.string().min(1),
  /** The source of truth for one key (a SQL query, a service call, …). See `sqlSource`. */
  load: fn<SourceLoader>('a function (key, { signal }) => value'),
  /** True when the cached value matches the source; by default strings compare as text or JSON, hashes field by field. */
  compare: fn<(cached: CachedValue, source: unknown) => boolean>('a function (cached, source) => boolean').optional(),
  /** Entries compared for this pattern (default `sample.staleKeys`). */
  maxKeys: positive.optional(),
});

const sample = z.strictObject({
  /** Window over which hit rate and evictions are measured as deltas, in ms (default 1 000). */
  windowMs: positive.default(1_000),
  /** Round trips per command (PING, GET, SET) in the latency burst (default 100). */
  burst: positive.default(100),
  /** Bound on the latency burst, in ms (default 1 000). */
  burstTimeMs: positive.default(1_000),
  /** COUNT hint of each SCAN call (default 100). */
  scanCount: positive.default(100),
  /** Keys sampled by each SCAN-based check (default 1 000). */
  maxKeys: positive.default(1_000),
  /** Time bound of each SCAN-based sampling, in ms (default 500). */
  scanTimeMs: positive.default(500),
  /** Cached entries compared with the source of truth per pattern (default 50). */
  staleKeys: positive.default(50),
  /** SLOWLOG entries read per node (default 128). */
  slowlogEntries: positive.default(128),
  /** PX of the expiration check's key, in ms (default 200). */
  ttlMs: positive.default(200),
  /** Value sizes of the read-write round trip, in bytes (default 0, 1, 1 KiB, 64 KiB; a 4 KiB binary value is always added). */
  valueSizes: z.array(z.number().int().nonnegative().max(8 * 1024 * 1024)).min(1).default([0, 1, 1_024, 65_536]),
});

const thresholds = z.strictObject({
  /** A command's p99 above this warns (default 10 ms). */
  latencyP99WarnMs: z.number().positive().default(10),
  /** A command's p99 above this fails (default 50 ms). */
  latencyP99FailMs: z.number().positive().default(50),
  /** A key may outlive its TTL by this much before the expiration check fails (default 250 ms). */
  expiryToleranceMs: ms.default(250),
  /** Hit rate below this warns (default 0.8). */
  hitRateWarn: ratio.default(0.8),
  /** Hit rate below this fails (default 0.5). */
  hitRateFail: ratio.default(0.5),
  /** Fewer lookups than this in the window are too few to judge a hit rate (default 20). */
  minLookups: positive.default(20),
  /** used_memory / maxmemory (or / system memory without maxmemory) at or above this warns (default 0.8). */
  memoryWarnRatio: ratio.default(0.8),
  /** … and at or above this fails; under `noeviction` it is the "near the limit" mark (default 0.9). */
  memoryFailRatio: ratio.default(0.9),
  /** mem_fragmentation_ratio above this warns (default 1.5; judged only above 5 MiB used). */
  fragmentationWarn: z.number().positive().default(1.5),
  /** A sampled key larger than this warns (default 1 MiB). */
  bigKeyBytes: positive.default(1_048_576),
  /** Share of sampled cache keys without a TTL above which ttl-coverage fails (default 0: any). */
  noTtlRatio: ratio.default(0),
  /** SLOWLOG entries and LATENCY events at or above this count as slow (default 10 ms). */
  slowCommandMs: z.number().nonnegative().default(10),
  /** How far back SLOWLOG entries and LATENCY events count (default 1 h). */
  slowlogLookbackMs: positive.default(3_600_000),
  /** More recent slow entries than this warn (default 0). */
  maxSlowEntries: z.number().int().nonnegative().default(0),
  /** A write must reach every replica within this (WAIT and read-back), and replica `lag` must stay under it (default 1 000 ms). */
  replicationLagMs: positive.default(1_000),
  /** Replica offset lag (master_repl_offset − replica offset) above this fails (default 1 MiB). */
  replicationOffsetLagBytes: positive.default(1_048_576),
  /** Share of sampled entries that differ from the source of truth above which staleness fails (default 0: any). */
  staleRatio: ratio.default(0),
  /** After its connection is killed, the client must answer again within this (default 2 000 ms). */
  recoveryMs: positive.default(2_000),
});

/** The options schema of {@link redis}; parsed with `parseOptions` from @probe/core. */
export const redisOptionsSchema = z.strictObject({
  /** The server to probe: the primary, a standalone server, or any node of a cluster. Credentials go in the URL. */
  url: redisUrl,
  /** The target's name in results (default `redis`). */
  name: z.string().min(1).optional(),
  /**
   * Redis Cluster: `true` asserts `url` is a cluster node; an array adds seed nodes.
   * A cluster is also detected on its own (`cluster_enabled:1`).
   */
  cluster: z.union([z.boolean(), z.array(redisUrl).min(1)]).optional(),
  /** Replica URLs (read-only use: INFO, read-back of the probe's own keys). */
  replicas: z.array(redisUrl).optional(),
  /** What the server is for: `cache` (default; eviction and TTLs expected) or `store` (data must not be evicted). */
  use: z.enum(['cache', 'store']).default('cache'),
  /** The application's key prefixes (`cache:`), sampled by ttl-coverage and memory. Default: the whole keyspace. */
  keyPrefix: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Base of the probe's own keys; the run id is appended (`probe:<runId>:`). Change it when an ACL limits key patterns. */
  probeKeyPrefix: z.string().min(1).default('probe:'),
  /** Bound on connecting, in ms (default 2 000). */
  connectTimeoutMs: positive.default(2_000),
  /** Bound on any single command, in ms (default 2 000). */
  commandTimeoutMs: positive.default(2_000),
  sample: sample.prefault({}),
  thresholds: thresholds.prefault({}),
  /** When set, `cache.ops.invalidation` performs the action and watches the key. */
  invalidation: z.union([invalidationScenario, z.array(invalidationScenario).min(1)]).optional(),
  /** When set, `cache.consistency.staleness` compares sampled entries with their source. */
  sourceOfTruth: z.array(sourceMapping).min(1).optional(),
}).refine((value) => value.thresholds.hitRateFail <= value.thresholds.hitRateWarn, {
  message: 'hitRateFail must not be above hitRateWarn', path: ['thresholds', 'hitRateFail'],
}).refine((value) => value.thresholds.memoryWarnRatio <= value.thresholds.memoryFailRatio, {
  message: 'memoryWarnRatio must not be above memoryFailRatio', path: ['thresholds', 'memoryWarnRatio'],
}).refine((value) => value.thresholds.latencyP99WarnMs <= value.thresholds.latencyP99FailMs, {
  message: 'latencyP99WarnMs must not be above latencyP99FailMs', path: ['thresholds', 'latencyP99WarnMs'],
});

/** What `redis()` accepts (defaults not yet applied). */
export type RedisProbeOptions = z.input<typeof redisOptionsSchema>;
/** The options after defaults. */
export type ResolvedOptions = z.output<typeof redisOptionsSchema>;
/** An HTTP request the probe sends (invalidation actions). */
export type HttpAction = z.output<typeof httpAction>;
/** One invalidation scenario after defaults. */
export type InvalidationScenario = z.output<typeof invalidationScenario>;
/** One source-of-truth mapping. */
export type SourceMapping = z.output<typeof sourceMapping>;
/** Sampling bounds after defaults. */
export type SampleOptions = z.output<typeof sample>;
/** Thresholds after defaults. */
export type Thresholds = z.output<typeof thresholds>;

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}
