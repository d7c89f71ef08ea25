/**
 * The probe result protocol, version 1. Everything here is plain JSON data or
 * a function signature: results survive `JSON.stringify` and `structuredClone`.
 * Treat any change to these shapes as breaking.
 */
import type { ShardSpec } from './events.ts';

/** The protocol version carried by every event (`"v": 1`). */
export const PROTOCOL_VERSION = 1 as const;

/**
 * The verdict of one check.
 * - `pass`  it ran and the property holds;
 * - `fail`  it ran and found a defect (the summary says which, the evidence shows it);
 * - `warn`  it holds, but something is off (advisory);
 * - `skip`  it did not run, with a reason (read-only mode, a `needs` failed, not configured);
 * - `error` it could not be run (target unreachable, timeout, bad option).
 */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** Every status, in the order reporters list them (worst first). */
export const STATUSES: readonly Status[] = ['error', 'fail', 'warn', 'skip', 'pass'];

/** One system under test. */
export interface Target {
  /** What it is: `http`, `postgres`, `redis`, `kafka`, `amqp`, `nats`, … */
  kind: string;
  /** A name unique within a run, e.g. `orders-db`. */
  name: string;
  /** Where it is. Always redacted (`postgres://app:***@db/app`) before it reaches a result. */
  url?: string;
}

/** A number a check measured. Names are snake_case or dotted: `p95_ms`, `cache.hit_ratio`. */
export interface Metric {
  name: string;
  value: number;
  /** `ms`, `us`, `bytes`, `ratio`, `count`, `rps`, `percent`, … */
  unit: string;
}

/** Why a check could not be run. `code` is one of {@link ProbeErrorCode} or a domain code. */
export interface ErrorInfo {
  code: string;
  message: string;
}

/** What a check's `run` returns. A thrown error becomes an `error` result instead. */
export interface Outcome {
  status: Status;
  /** One line a person reads first: what holds, or which defect was found. */
  summary: string;
  /** What a person needs to see the defect for themselves (requests, queries, a repro command). */
  evidence?: Record<string, unknown>;
  metrics?: Metric[];
  /** Why the check was skipped (required when status is `skip`). */
  reason?: string;
  /** Why the check could not be run (when status is `error`). */
  error?: ErrorInfo;
}

/** The final, redacted record of one check in one run. */
export interface Result {
  /** The check's dotted id, e.g. `db.connection.connectivity`. */
  id: string;
  title: string;
  /** The target, with its URL redacted. */
  target: Target;
  status: Status;
  summary: string;
  /** ISO time the check started. */
  startedAt: string;
  durationMs: number;
  /** Checklist catalog ids this check answers (`integration.database.connection.test-connectivity`). */
  checklist: string[];
  evidence: Record<string, unknown>;
  metrics: Metric[];
  /** Present when status is `error`. */
  error?: ErrorInfo;
  /** Present when status is `skip`. */
  reason?: string;
  /** Present on the result of a split check in a sharded run: this shard's part of the whole. */
  part?: ResultPart;
}

/**
 * One shard's part of a split check ({@link Check.split}): `mergeRuns` hands all
 * `total` parts to the combiner named here and keeps what it returns.
 */
export interface ResultPart {
  /** 1-based shard index. */
  index: number;
  total: number;
  /** `<package>#<export>` of the combiner, e.g. `@probe/perf#combineLoadParts`. */
  combiner: string;
}

/** Combines the parts of a split check (one result per shard, in shard order) into the result of the whole. */
export type PartCombiner = (parts: readonly Result[]) => Result;

/** A minimal leveled logger. Output is redacted. */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

/** What a check gets when it runs. */
export interface CheckContext<R = unknown> {
  /** Aborted at the check's deadline or when the run is interrupted; pass it to every I/O call. */
  signal: AbortSignal;
  /** Epoch milliseconds at which the check is ended as `error`/`PROBE_ERR_TIMEOUT`. */
  deadline: number;
  /** The check's time budget in milliseconds. */
  timeoutMs: number;
  /** What the probe's `setup` returned (a pool, a client, …). */
  resources: R;
  /** The run's id: name everything the check creates with it (`probe_<runId>`, `probe:<runId>:`). */
  runId: string;
  /** True under `--read-only`; writing checks are skipped before they run. */
  readOnly: boolean;
  target: Target;
  /** Record a metric; merged into the result's `metrics`. */
  metric(name: string, value: number, unit: string): void;
  /** Record evidence; merged into the result's `evidence`. */
  evidence(key: string, value: unknown): void;
  /** Redact secrets from any string before it leaves the check (the engine redacts results anyway). */
  redact(text: string): string;
  log: Logger;
  /** This run's shard (`--shard 2/4`), when the run is sharded: a split check does its share of the work. */
  shard?: ShardSpec;
}

/** The unit of verification. */
export interface Check<R = unknown> {
  /** A stable dotted, domain-prefixed id: `db.connection.connectivity`. Public API. */
  id: string;
  title: string;
  /** Checklist catalog ids this check answers. */
  checklist?: string[];
  /** Ids of checks of the same probe that must pass (or warn) first; otherwise this one is `skip`. */
  needs?: string[];
  /** The check writes (in probe-owned objects or rolled-back transactions): skipped under `--read-only`. */
  writes?: boolean;
  /** Safe to run at the same time as the probe's other parallel checks. */
  parallel?: boolean;
  /** Takes seconds rather than milliseconds (a load test, a migration round trip). */
  slow?: boolean;
  /** This check's deadline in milliseconds; defaults to the run's (5 000). */
  timeoutMs?: number;
  /**
   * Run in every shard of a sharded run rather than in one, each shard doing its share (`context.shard`):
   * a load split over N machines. The results carry `part`, and `mergeRuns` combines them with the combiner
   * named here (`<package>#<export>`, a {@link PartCombiner}). A split check should not have `needs`.
   */
  split?: { combiner: string };
  run(context: CheckContext<R>): Promise<Outcome> | Outcome;
}

/** What a probe's setup and teardown get. */
export interface ProbeContext {
  signal: AbortSignal;
  runId: string;
  readOnly: boolean;
  target: Target;
  redact(text: string): string;
  log: Logger;
  /** This run's shard, when the run is sharded (see {@link Check.split}). */
  shard?: ShardSpec;
}

/** A problem with a probe's options, found before anything runs. */
export interface ConfigIssue {
  /** Dotted path of the field within the probe's options (`url`, `expect.unique[0]`). */
  path: string;
  /** What was expected and what was found: `expected a postgres:// URL, got "localhost"`. */
  message: string;
}

/** What a domain package's factory returns for one target: `postgres({ url })`. */
export interface Probe<R = any> {
  target: Target;
  checks: Check<R>[];
  /** Secret values (passwords, tokens) to redact everywhere; URL passwords are redacted anyway. */
  secrets?: string[];
  /** Problems with the options the probe was made from; a config with any is not run. */
  issues?: ConfigIssue[];
  /** Opens shared resources (a pool, a client); bounded by the run's setup timeout. */
  setup?(context: ProbeContext): Promise<R> | R;
  /** Always runs (after failure, timeout and abort): closes resources, removes what the probe created. */
  teardown?(context: ProbeContext, resources: R | undefined): Promise<void> | void;
}

/** A run's configuration, as written in `probe.config.ts`. */
export interface Config {
  probes: Probe[];
  /** Default deadline per check in milliseconds (5 000). */
  timeoutMs?: number;
  /** How many probes run at the same time (4). */
  concurrency?: number;
  /** Extra secret values to redact from every output. */
  secrets?: string[];
}
