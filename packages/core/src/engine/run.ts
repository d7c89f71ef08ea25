import { randomBytes } from 'node:crypto';
import { assertValidConfig } from '../config/validate.ts';
import { ProbeError, ProbeErrorCode, isUnreachable, messageOf, toErrorInfo } from '../errors.ts';
import { createLogger } from '../logger.ts';
import type { Reporter, RunEvent, ShardSpec, Totals } from '../protocol/events.ts';
import type { Check, CheckContext, Config, Metric, Outcome, Probe, ProbeContext, Result, Target } from '../protocol/types.ts';
import { createRedactor, redactDeep, secretsOfUrl, type Redactor } from '../redact.ts';
import { VERSION } from '../version.ts';
import { createTargetBreaker, type TargetBreaker } from './breaker.ts';
import { withDeadline } from './deadline.ts';
import { planRun, plannedCount, type PlannedProbe } from './plan.ts';
import { countResults, exitCodeOf, interruptExitCode } from './totals.ts';

/** Options of {@link run}; the CLI flags map onto these one to one. */
export interface RunOptions {
  /** Default deadline per check in ms (5 000); a check's own `timeoutMs` wins. */
  timeoutMs?: number;
  /** Probes running at the same time (4). */
  concurrency?: number;
  /** Check-id globs to run (`db.*`, `orders-db/db.query.*`). */
  only?: string[];
  /** Check-id globs to leave out. */
  skip?: string[];
  /** Skip every check flagged `writes`. */
  readOnly?: boolean;
  /** Run only this shard of the checks. */
  shard?: ShardSpec;
  /** Warnings make the exit code 1. */
  strict?: boolean;
  /** Abort the run: stop scheduling, abort running checks, run every teardown. `reason` may be `'SIGINT'`/`'SIGTERM'`. */
  signal?: AbortSignal;
  /** Event consumers (console, NDJSON, JUnit, …). */
  reporters?: Reporter[];
  /** Defaults to a fresh random id. */
  runId?: string;
  /** Extra secret values to redact. */
  secrets?: string[];
  /** Bound on each probe's setup (default: 2 × the check timeout, at least 10 s). */
  setupTimeoutMs?: number;
  /** Bound on each probe's teardown (default 10 s). */
  teardownTimeoutMs?: number;
}

/** What {@link run} resolves to. */
export interface RunSummary {
  runId: string;
  results: Result[];
  totals: Totals;
  exitCode: number;
  durationMs: number;
  interrupted?: string;
  /** Teardown problems (each also logged): something the probe created may be left behind. */
  teardownErrors: { target: string; message: string }[];
}

/** A new run id: short, sortable by time, safe in SQL identifiers, Redis keys and Kafka topic names. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * Run probes and report every event. Validates the whole config first and throws
 * `PROBE_ERR_CONFIG` (with `issues`) without running anything when it is invalid.
 */
export async function run(input: Config | Probe[], options: RunOptions = {}): Promise<RunSummary> {
  const config = assertValidConfig(Array.isArray(input) ? { probes: input } : input);
  const started = performance.now();
  const runId = options.runId ?? newRunId();
  const timeoutMs = options.timeoutMs ?? config.timeoutMs ?? 5_000;
  const concurrency = Math.max(1, options.concurrency ?? config.concurrency ?? 4);
  const readOnly = options.readOnly ?? false;
  const signal = options.signal;
  const plan = planRun(config.probes, { only: options.only, skip: options.skip, shard: options.shard });
  const redact = createRedactor([
    ...(config.secrets ?? []),
    ...(options.secrets ?? []),
    ...config.probes.flatMap((probe) => [...(probe.secrets ?? []), ...secretsOfUrl(probe.target.url)]),
  ]);
  const emitter = createEmitter(options.reporters ?? [], redact);
  const results: Result[] = [];
  const teardownErrors: RunSummary['teardownErrors'] = [];
  let started_ = 0;

  await emitter.emit({
    v: 1, type: 'run-start', runId, time: new Date().toISOString(), version: VERSION,
    planned: plannedCount(plan), readOnly, ...(options.shard ? { shard: options.shard } : {}),
  });

  const shared: RunShared = {
    runId, timeoutMs, readOnly, signal, redact, emitter, results, teardownErrors,
    ...(options.shard && options.shard.total > 1 ? { shard: options.shard } : {}),
    setupTimeoutMs: options.setupTimeoutMs ?? Math.max(10_000, timeoutMs * 2),
    teardownTimeoutMs: options.teardownTimeoutMs ?? 10_000,
    onCheckStarted: () => { started_ += 1; },
  };
  const queue = [...plan];
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      if (signal?.aborted) break;
      await runProbe(entry, shared);
    }
  });
  await Promise.all(workers);

  const totals = countResults(results);
  const interrupted = signal?.aborted ? reasonName(signal.reason) : undefined;
  const exitCode = interrupted ? interruptExitCode(interrupted) : exitCodeOf(totals, options.strict);
  const durationMs = round(performance.now() - started);
  const notRun = plannedCount(plan) - started_;
  await emitter.emit({
    v: 1, type: 'run-end', runId, time: new Date().toISOString(), totals, exitCode, durationMs,
    ...(interrupted ? { interrupted, notRun } : {}), ...(options.strict ? { strict: true } : {}),
  });
  await emitter.close();
  return { runId, results, totals, exitCode, durationMs, ...(interrupted ? { interrupted } : {}), teardownErrors };
}

interface RunShared {
  runId: string;
  /** Set when the run is sharded (more than one shard). */
  shard?: ShardSpec;
  timeoutMs: number;
  readOnly: boolean;
  signal: AbortSignal | undefined;
  redact: Redactor;
  emitter: Emitter;
  results: Result[];
  teardownErrors: RunSummary['teardownErrors'];
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  onCheckStarted(): void;
}

async function runProbe({ probe, checks }: PlannedProbe, shared: RunShared): Promise<void> {
  const { redact, signal } = shared;
  const target: Target = { ...probe.target, ...(probe.target.url ? { url: redact(probe.target.url) } : {}) };
  const log = createLogger(`probe:${target.kind}`, redact);
  const probeContext: ProbeContext = {
    signal: signal ?? new AbortController().signal, runId: shared.runId, readOnly: shared.readOnly, target, redact, log,
    ...(shared.shard ? { shard: shared.shard } : {}),
  };
  const breaker = createTargetBreaker(target.name);
  let resources: unknown;
  let setupError: unknown;
  try {
    if (probe.setup) {
      resources = await withDeadline((setupSignal) => probe.setup!({ ...probeContext, signal: setupSignal }), {
        timeoutMs: shared.setupTimeoutMs, parent: signal, label: `setup of ${target.name}`,
      });
    }
  } catch (error) {
    setupError = error;
    if (isUnreachable(error)) breaker.trip(error);
  }
  try {
    await runChecks(checks, { ...shared, target, breaker, resources, setupError, log });
  } finally {
    try {
      if (probe.teardown) {
        // Teardown runs even after an abort: it gets its own deadline, not the run's signal.
        await withDeadline((teardownSignal) => probe.teardown!({ ...probeContext, signal: teardownSignal }, resources), {
          timeoutMs: shared.teardownTimeoutMs, label: `teardown of ${target.name}`,
        });
      }
    } catch (error) {
      const message = redact(messageOf(error));
      shared.teardownErrors.push({ target: target.name, message });
      log.warn(`teardown of ${target.name} failed: ${message}; objects named with run id ${shared.runId} may be left behind`);
    }
    breaker.shutdown();
  }
}

interface ProbeRun extends RunShared {
  target: Target;
  breaker: TargetBreaker;
  resources: unknown;
  setupError: unknown;
  log: ReturnType<typeof createLogger>;
}

/** Checks run in order; consecutive `parallel` checks run together; `needs` wait for their prerequisites. */
async function runChecks(checks: readonly Check[], probeRun: ProbeRun): Promise<void> {
  const done = new Map<string, Promise<Result | undefined>>();
  let barrier: Promise<unknown> = Promise.resolve();
  let parallelGroup: Promise<unknown>[] = [];
  for (const check of checks) {
    if (!check.parallel && parallelGroup.length > 0) {
      barrier = Promise.all(parallelGroup);
      parallelGroup = [];
    }
    const before = barrier;
    const needs = (check.needs ?? []).filter((id) => done.has(id)).map((id) => done.get(id)!);
    const promise = (async () => {
      await before;
      const prerequisites = await Promise.all(needs);
      return runOneCheck(check, prerequisites, probeRun);
    })();
    done.set(check.id, promise);
    if (check.parallel) parallelGroup.push(promise);
    else barrier = promise;
  }
  await Promise.all(done.values());
}

async function runOneCheck(check: Check, prerequisites: (Result | undefined)[], probeRun: ProbeRun): Promise<Result | undefined> {
  const { signal, emitter, target, redact } = probeRun;
  if (signal?.aborted) return undefined;
  probeRun.onCheckStarted();
  const startedAt = new Date();
  const t0 = performance.now();
  await emitter.emit({ v: 1, type: 'check-start', runId: probeRun.runId, time: startedAt.toISOString(), id: check.id, target });
  const metrics: Metric[] = [];
  const evidence: Record<string, unknown> = {};
  const outcome = await outcomeOf(check, prerequisites, probeRun, metrics, evidence);
  const result = redactDeep<Result>({
    id: check.id,
    title: check.title,
    target,
    status: outcome.status,
    summary: oneLine(outcome.summary),
    startedAt: startedAt.toISOString(),
    durationMs: round(performance.now() - t0),
    checklist: [...(check.checklist ?? [])],
    evidence: { ...evidence, ...(outcome.evidence ?? {}) },
    metrics: [...metrics, ...(outcome.metrics ?? [])].filter((metric) => Number.isFinite(metric.value)),
    ...(outcome.status === 'error' ? { error: outcome.error ?? { code: ProbeErrorCode.CHECK, message: outcome.summary } } : {}),
    ...(outcome.status === 'skip' ? { reason: outcome.reason ?? outcome.summary } : {}),
    ...(check.split && probeRun.shard ? { part: { ...probeRun.shard, combiner: check.split.combiner } } : {}),
  }, redact);
  probeRun.results.push(result);
  await emitter.emit({ v: 1, type: 'check-end', runId: probeRun.runId, time: new Date().toISOString(), result });
  return result;
}

async function outcomeOf(check: Check, prerequisites: (Result | undefined)[], probeRun: ProbeRun, metrics: Metric[], evidence: Record<string, unknown>): Promise<Outcome> {
  const unmet = prerequisites.filter((result) => !result || (result.status !== 'pass' && result.status !== 'warn'));
  if (unmet.length > 0) {
    const names = unmet.map((result) => (result ? `${result.id} (${result.status})` : 'a prerequisite that did not run')).join(', ');
    return skip(`needs ${names}`);
  }
  if (probeRun.readOnly && check.writes) return skip('read-only mode: this check writes (in probe-owned objects or rolled-back transactions)');
  if (probeRun.setupError !== undefined && !probeRun.breaker.opened) {
    const info = toErrorInfo(probeRun.setupError);
    return errorOutcome({ code: info.code === ProbeErrorCode.CHECK ? ProbeErrorCode.SETUP : info.code, message: `setup of ${probeRun.target.name} failed: ${info.message}` });
  }
  const timeoutMs = check.timeoutMs ?? probeRun.timeoutMs;
  try {
    const outcome = await probeRun.breaker.fire(async () => {
      const value = await withDeadline((checkSignal) => {
        const context: CheckContext = {
          signal: checkSignal,
          deadline: Date.now() + timeoutMs,
          timeoutMs,
          resources: probeRun.resources,
          runId: probeRun.runId,
          readOnly: probeRun.readOnly,
          target: probeRun.target,
          metric: (name, value, unit) => { metrics.push({ name, value, unit }); },
          evidence: (key, value) => { evidence[key] = value; },
          redact: probeRun.redact,
          log: probeRun.log,
          ...(probeRun.shard ? { shard: probeRun.shard } : {}),
        };
        return check.run(context);
      }, { timeoutMs, parent: probeRun.signal, label: `check ${check.id} on ${probeRun.target.name}` });
      if (value?.status === 'error' && value.error?.code === ProbeErrorCode.UNREACHABLE) {
        throw Object.assign(new ProbeError(ProbeErrorCode.UNREACHABLE, value.error.message), { outcome: value });
      }
      return value;
    });
    return normalise(outcome, check);
  } catch (error) {
    const carried = (error as { outcome?: Outcome }).outcome;
    if (carried) return carried;
    return errorOutcome(toErrorInfo(error));
  }
}

function normalise(outcome: Outcome | undefined, check: Check): Outcome {
  const valid = ['pass', 'fail', 'warn', 'skip', 'error'];
  if (!outcome || typeof outcome !== 'object' || !valid.includes(outcome.status)) {
    return errorOutcome({ code: ProbeErrorCode.CHECK, message: `check ${check.id} returned ${JSON.stringify(outcome)?.slice(0, 80)}; expected { status, summary }` });
  }
  return { ...outcome, summary: typeof outcome.summary === 'string' ? outcome.summary : String(outcome.summary) };
}

function skip(reason: string): Outcome {
  return { status: 'skip', summary: `skipped: ${reason}`, reason };
}

function errorOutcome(error: { code: string; message: string }): Outcome {
  return { status: 'error', summary: error.message, error };
}

function oneLine(text: string): string {
  const line = (text ?? '').replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function reasonName(reason: unknown): string {
  if (reason === 'SIGINT' || reason === 'SIGTERM') return reason;
  if (typeof reason === 'object' && reason !== null && 'signal' in reason) return String((reason as { signal: unknown }).signal);
  return 'abort';
}

interface Emitter {
  emit(event: RunEvent): Promise<void>;
  close(): Promise<void>;
}

/** Sends each event to every reporter in order; a reporter that throws is reported once and then ignored. */
function createEmitter(reporters: Reporter[], redact: Redactor): Emitter {
  const broken = new Set<Reporter>();
  const log = createLogger('probe:core', redact);
  const guard = async (reporter: Reporter, action: () => void | Promise<void>) => {
    if (broken.has(reporter)) return;
    try {
      await action();
    } catch (error) {
      broken.add(reporter);
      log.warn(`a reporter failed and was switched off: ${messageOf(error)}`);
    }
  };
  return {
    async emit(event) {
      for (const reporter of reporters) await guard(reporter, () => reporter.onEvent(event));
    },
    async close() {
      for (const reporter of reporters) await guard(reporter, () => reporter.close?.());
    },
  };
}
