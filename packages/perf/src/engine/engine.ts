/**
 * The load engine: drives a {@link Driver} in the closed or the open model,
 * bounded by time and count, and records what happened.
 *
 * - closed: each active lane keeps `depth` requests in flight, sending the next
 *   one when a response ends. Latency runs from the actual send.
 * - open: request i is intended at t0 + timeOf(i) (a rate, possibly staged); a
 *   1 ms tick sends every request that is due on a lane with room, and a lane
 *   that frees up takes the backlog at once. Latency runs from the intended
 *   time, so a stalled target shows up in the percentiles (coordinated-omission
 *   correction); the send lag is recorded on its own.
 *
 * Memory is fixed: the backlog is a counter, histograms are HDR, the per-lane
 * FIFOs are typed arrays of connections × depth.
 */
import { ProbeError, ProbeErrorCode } from '@probe/core';
import { Histogram, INTERVAL_LAYOUT } from '../histogram/hdr.ts';
import { serializeHistogram } from '../histogram/codec.ts';
import { CHECK_FAILED, OK, type Driver, type DriverSink } from './driver.ts';
import { round } from './duration.ts';
import { summarize, type LoadResult, type SecondSample } from './result.ts';
import type { Profile } from './schedule.ts';

/** What a running load reports once a second. */
export interface Progress {
  model: 'closed' | 'open';
  /** Which second of the measured phase just ended (1, 2, …; warm-up is not reported). */
  second: number;
  /** The second just ended. */
  sample: SecondSample;
  /** Totals so far. */
  completed: number;
  errors: number;
  inFlight: number;
  /** Open model: requests due but not yet sent. */
  backlog: number;
}

export interface EngineOptions {
  model: 'closed' | 'open';
  /**
   * The whole run's profile, warm-up included (`warmupMs` long at its start):
   * open model, the arrival rate; closed model, the number of active connections.
   */
  profile: Profile;
  warmupMs: number;
  /** Requests in the measured phase at most. */
  maxRequests: number;
  /** Per-request timeout (ms), from the actual send. */
  timeoutMs: number;
  /** A request is late when it leaves more than this after its intended time (open model). */
  lateAfterMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

const STATUS_SLOTS = 1_000;

/** Run one load on an opened driver. Resolves with the result; rejects when `signal` aborts. */
export function runEngine(driver: Driver, options: EngineOptions): Promise<LoadResult> {
  return new Engine(driver, options).run();
}

class Engine implements DriverSink {
  private readonly open: boolean;
  private readonly depth: number;
  private readonly lanes: number;
  private readonly intended: Float64Array;
  private readonly started: Float64Array;
  private readonly head: Int32Array;
  private readonly inflight: Int32Array;
  private readonly active: Uint8Array;
  private totalInFlight = 0;

  private readonly latency = new Histogram();
  private readonly interval = new Histogram(INTERVAL_LAYOUT);
  private readonly service = new Histogram();
  private readonly lag = new Histogram();
  private readonly statusCounts = new Float64Array(STATUS_SLOTS);
  private readonly errorKinds = new Map<string, number>();
  private completed = 0;
  private ok = 0;
  private failed = 0;
  private late = 0;
  private bytes = 0;
  private lastCompletion = 0;

  /** Absolute performance.now() times. */
  private t0 = 0;
  private measureFrom = Infinity;
  private endAt = 0;
  /** Closed model: requests sent during warm-up and after it (only the latter count against maxRequests). */
  private warmupSent = 0;
  private measuredSent = 0;
  /** Open model: next schedule index, the first measured index and the end of the count budget. */
  private nextIndex = 0;
  private due = 0;
  private warmupCount = 0;
  private limitIndex = 0;
  private readonly retry: number[] = [];
  private retryHead = 0;
  private rr = 0;
  /** Ticks that ended with requests due and every connection busy. */
  private exhaustedTicks = 0;

  private windowStart = 0;
  private intervalSent = 0;
  private intervalErrors = 0;
  private intervalCompleted = 0;
  private readonly series: SecondSample[] = [];
  private cpuAtMeasure: NodeJS.CpuUsage | undefined;
  private cpuPercent = 0;

  private stopping = false;
  private finished = false;
  private timers: ReturnType<typeof setInterval>[] = [];
  private resolve!: (result: LoadResult) => void;
  private reject!: (error: unknown) => void;
  private readonly startedAt = new Date();

  private readonly driver: Driver;
  private readonly options: EngineOptions;

  constructor(driver: Driver, options: EngineOptions) {
    this.driver = driver;
    this.options = options;
    this.open = options.model === 'open';
    this.depth = driver.depth;
    this.lanes = driver.lanes;
    this.intended = new Float64Array(this.lanes * this.depth);
    this.started = new Float64Array(this.lanes * this.depth);
    this.head = new Int32Array(this.lanes);
    this.inflight = new Int32Array(this.lanes);
    this.active = new Uint8Array(this.lanes);
  }

  run(): Promise<LoadResult> {
    return new Promise<LoadResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const { signal } = this.options;
      if (signal?.aborted) return this.abort(signal.reason);
      signal?.addEventListener('abort', this.onAbort, { once: true });
      this.driver.sink = this;
      this.start();
    });
  }

  private readonly onAbort = () => this.abort(this.options.signal?.reason);

  private start(): void {
    const { profile, warmupMs, maxRequests } = this.options;
    const now = performance.now();
    this.t0 = now;
    this.endAt = now + profile.durationMs;
    // Known in advance, so a late timer cannot misfile measured requests as warm-up ones.
    this.measureFrom = now + warmupMs;
    this.every(Math.max(10, Math.min(100, this.options.timeoutMs / 4)), () => this.sweep());
    this.later(profile.durationMs, () => this.stop());
    if (warmupMs > 0) this.later(warmupMs, () => this.beginMeasure());
    else this.beginMeasure();
    if (this.open) {
      this.warmupCount = Math.min(profile.totalCount, countBefore(profile, warmupMs));
      this.limitIndex = Math.min(profile.totalCount, this.warmupCount + maxRequests);
      this.every(1, () => this.tick());
      this.tick();
    } else {
      this.adjustLanes(now);
      if (!profile.isConstant()) this.every(50, () => this.adjustLanes(performance.now()));
    }
  }

  private beginMeasure(): void {
    if (this.finished) return;
    this.cpuAtMeasure = process.cpuUsage();
    this.windowStart = performance.now();
    this.every(1_000, () => this.closeSecond());
  }

  // ---- DriverSink (hot path) ----

  done(lane: number, status: number, verdict: number, now: number): void {
    if (this.inflight[lane] === 0) return;   // a response nobody asked for (a broken server): nothing to match it with
    const depth = this.depth;
    const h = this.head[lane]!;
    const slot = lane * depth + h;
    const intended = this.intended[slot]!;
    this.head[lane] = h + 1 === depth ? 0 : h + 1;
    this.inflight[lane]! -= 1;
    this.totalInFlight -= 1;
    this.lastCompletion = now;
    if (intended < this.measureFrom) return;
    const us = (now - intended) * 1_000;
    this.latency.record(us);
    this.interval.record(us);
    if (this.open) this.service.record((now - this.started[slot]!) * 1_000);
    if (status !== 0) this.statusCounts[status < STATUS_SLOTS ? status : STATUS_SLOTS - 1]! += 1;
    this.completed += 1;
    this.intervalCompleted += 1;
    if (verdict === OK) this.ok += 1;
    else this.countError(verdict === CHECK_FAILED ? 'check' : `status ${status}`);
  }

  fail(lane: number, kind: string, now: number, all: boolean): void {
    do {
      if (this.inflight[lane]! <= 0) return;
      const h = this.head[lane]!;
      const slot = lane * this.depth + h;
      const intended = this.intended[slot]!;
      this.head[lane] = h + 1 === this.depth ? 0 : h + 1;
      this.inflight[lane]! -= 1;
      this.totalInFlight -= 1;
      if (intended < this.measureFrom) continue;
      this.failed += 1;
      this.countError(kind);
      if (kind === 'timeout') {
        this.latency.record((now - intended) * 1_000);
        this.interval.record((now - intended) * 1_000);
      }
    } while (all);
  }

  requeue(lane: number): void {
    while (this.inflight[lane]! > 0) {
      const h = this.head[lane]!;
      const intended = this.intended[lane * this.depth + h]!;
      this.head[lane] = h + 1 === this.depth ? 0 : h + 1;
      this.inflight[lane]! -= 1;
      this.totalInFlight -= 1;
      if (this.open) {
        if (intended >= this.measureFrom) this.retry.push(intended);
      } else if (intended >= this.measureFrom) {
        this.measuredSent -= 1;
        this.intervalSent -= 1;
      } else {
        this.warmupSent -= 1;
      }
    }
  }

  received(bytes: number): void {
    this.bytes += bytes;
  }

  after(lane: number, now: number): void {
    if (this.stopping) {
      if (this.totalInFlight === 0) this.finish();
      return;
    }
    if (this.open) {
      this.fillLane(lane, now);
      if (this.nextIndex >= this.limitIndex && this.retryHead >= this.retry.length && this.totalInFlight === 0) this.stop();
      return;
    }
    if (this.active[lane] === 0) return;
    let count = this.depth - this.inflight[lane]!;
    const measuring = now >= this.measureFrom;
    const budget = measuring ? this.options.maxRequests - this.measuredSent : count;
    if (count > budget) count = budget;
    if (count <= 0) {
      if (budget <= 0 && this.totalInFlight === 0) this.stop();
      return;
    }
    const depth = this.depth;
    const base = lane * depth;
    let tail = this.head[lane]! + this.inflight[lane]!;
    for (let k = 0; k < count; k++, tail++) {
      const slot = base + (tail >= depth ? tail - depth : tail);
      this.intended[slot] = now;
      this.started[slot] = now;
    }
    this.inflight[lane]! += count;
    this.totalInFlight += count;
    if (measuring) {
      this.measuredSent += count;
      this.intervalSent += count;
    } else {
      this.warmupSent += count;
    }
    this.driver.send(lane, count);
  }

  // ---- open model ----

  private tick(): void {
    if (this.stopping) return;
    const now = performance.now();
    this.due = Math.max(this.due, Math.min(this.limitIndex, this.options.profile.dueAt(now - this.t0)));
    this.sendDue(now);
    if (this.nextIndex >= this.limitIndex && this.retryHead >= this.retry.length && this.totalInFlight === 0) this.stop();
  }

  /** Send what is due on lanes with room, round-robin. */
  private sendDue(now: number): void {
    const capacity = this.lanes * this.depth;
    while (this.totalInFlight < capacity && (this.retryHead < this.retry.length || this.nextIndex < this.due)) {
      let lane = this.rr;
      for (let tries = 0; tries < this.lanes && this.inflight[lane]! >= this.depth; tries++) lane = lane + 1 === this.lanes ? 0 : lane + 1;
      this.rr = lane + 1 === this.lanes ? 0 : lane + 1;
      this.sendOpen(lane, now);
      this.driver.send(lane, 1);
    }
    if (this.nextIndex < this.due) this.exhaustedTicks += 1;
  }

  /** A lane freed up: give it the backlog now rather than at the next tick. */
  private fillLane(lane: number, now: number): void {
    if (this.nextIndex >= this.due && this.retryHead >= this.retry.length) {
      this.due = Math.min(this.limitIndex, this.options.profile.dueAt(now - this.t0));
    }
    let count = 0;
    while (this.inflight[lane]! < this.depth && (this.retryHead < this.retry.length || this.nextIndex < this.due)) {
      this.sendOpen(lane, now);
      count += 1;
    }
    if (count > 0) this.driver.send(lane, count);
  }

  private sendOpen(lane: number, now: number): void {
    let intended: number;
    if (this.retryHead < this.retry.length) {
      intended = this.retry[this.retryHead++]!;
      if (this.retryHead === this.retry.length) {
        this.retry.length = 0;
        this.retryHead = 0;
      }
    } else {
      intended = this.t0 + this.options.profile.timeOf(this.nextIndex++);
      if (this.nextIndex > this.warmupCount) {
        const lagMs = now - intended;
        this.lag.record(lagMs * 1_000);
        if (lagMs > this.options.lateAfterMs) this.late += 1;
        this.intervalSent += 1;
      }
    }
    const depth = this.depth;
    const tail = this.head[lane]! + this.inflight[lane]!;
    const slot = lane * depth + (tail >= depth ? tail - depth : tail);
    this.intended[slot] = intended;
    this.started[slot] = now;
    this.inflight[lane]! += 1;
    this.totalInFlight += 1;
  }

  // ---- closed model ----

  private adjustLanes(now: number): void {
    if (this.stopping) return;
    const level = this.options.profile.levelAt(now - this.t0);
    const target = Math.min(this.lanes, Math.max(0, Math.round(level)));
    for (let lane = 0; lane < this.lanes; lane++) {
      const want = lane < target ? 1 : 0;
      if (want === 1 && this.active[lane] === 0) {
        this.active[lane] = 1;
        this.after(lane, now);
      } else if (want === 0) {
        this.active[lane] = 0;
      }
    }
  }

  // ---- timeouts, seconds, bounds ----

  private sweep(): void {
    const now = performance.now();
    const limit = this.options.timeoutMs;
    for (let lane = 0; lane < this.lanes; lane++) {
      if (this.inflight[lane] === 0) continue;
      const oldest = this.started[lane * this.depth + this.head[lane]!]!;
      if (now - oldest <= limit) continue;
      this.driver.abort(lane);
      while (this.inflight[lane]! > 0) {
        const slot = lane * this.depth + this.head[lane]!;
        this.fail(lane, now - this.started[slot]! > limit ? 'timeout' : 'cancelled', now, false);
      }
      this.after(lane, now);
    }
    if (this.stopping && this.totalInFlight === 0) this.finish();
  }

  private closeSecond(): void {
    const now = performance.now();
    const windowMs = Math.max(1, now - this.windowStart);
    this.windowStart = now;
    const [p50, p95, p99] = this.interval.percentiles([50, 95, 99]);
    const sample: SecondSample = {
      t: round(Math.max(0, now - this.measureFrom) / 1_000),
      rps: round((this.intervalCompleted * 1_000) / windowMs),
      sent: this.intervalSent,
      errors: this.intervalErrors,
      p50_ms: round(p50! / 1_000),
      p95_ms: round(p95! / 1_000),
      p99_ms: round(p99! / 1_000),
      max_ms: round(this.interval.max / 1_000),
    };
    this.series.push(sample);
    this.interval.reset();
    this.intervalSent = 0;
    this.intervalCompleted = 0;
    this.intervalErrors = 0;
    this.options.onProgress?.({
      model: this.options.model, second: this.series.length, sample, completed: this.completed, errors: this.errors(),
      inFlight: this.totalInFlight, backlog: Math.max(0, this.due - this.nextIndex) + (this.retry.length - this.retryHead),
    });
  }

  private countError(kind: string): void {
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
    this.intervalErrors += 1;
  }

  private errors(): number {
    return this.completed - this.ok + this.failed;
  }

  /** The time or count bound is reached: send nothing more, wait for what is in flight (timeouts still apply). */
  private stop(): void {
    if (this.stopping) return;
    // Open model: what was intended before the end leaves now (late, and counted so) if a connection is free.
    if (this.open && !this.finished) {
      this.due = this.limitIndex;
      this.sendDue(performance.now());
    }
    this.stopping = true;
    const now = performance.now();
    if (this.cpuAtMeasure && this.measureFrom < now) {
      const used = process.cpuUsage(this.cpuAtMeasure);
      this.cpuPercent = ((used.user + used.system) / 1_000 / (now - this.measureFrom)) * 100;
    }
    if (this.totalInFlight === 0) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.clearTimers();
    if (this.intervalCompleted > 0 || this.intervalSent > 0 || this.intervalErrors > 0) this.closeSecond();
    this.resolve(this.result());
  }

  private abort(reason: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.clearTimers();
    for (let lane = 0; lane < this.lanes; lane++) this.driver.abort(lane);
    this.reject(reason ?? new ProbeError(ProbeErrorCode.ABORTED, 'the load was aborted'));
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }

  private every(ms: number, action: () => void): void {
    this.timers.push(setInterval(action, ms));
  }

  private later(ms: number, action: () => void): void {
    this.timers.push(setTimeout(action, ms) as unknown as ReturnType<typeof setInterval>);
  }

  private result(): LoadResult {
    const end = Math.max(this.lastCompletion, Math.min(performance.now(), this.endAt));
    const durationMs = Math.max(0, end - this.measureFrom);
    const measuredSent = this.open ? Math.max(0, this.nextIndex - this.warmupCount) : this.measuredSent;
    const total = this.completed + this.failed;
    const errors = this.errors();
    const statuses: Record<string, number> = {};
    this.statusCounts.forEach((count, status) => {
      if (count > 0) statuses[String(status)] = count;
    });
    const saturatedCpu = this.cpuPercent >= 90;
    const lagging = this.open && this.exhaustedTicks === 0 && this.lag.count > 0 && this.lag.percentile(99) > 50_000;
    const result: LoadResult = {
      model: this.options.model,
      driver: this.driver.name,
      connections: this.lanes,
      pipelining: this.depth,
      ...(this.open ? { rate: round(this.options.profile.peak()) } : {}),
      startedAt: this.startedAt.toISOString(),
      durationMs: round(durationMs),
      warmupMs: this.options.warmupMs,
      warmupRequests: this.open ? Math.min(this.nextIndex, this.warmupCount) : this.warmupSent,
      sent: measuredSent,
      completed: this.completed,
      ok: this.ok,
      failed: this.failed,
      errors,
      errorRate: total === 0 ? 0 : errors / total,
      errorKinds: Object.fromEntries(this.errorKinds),
      statuses,
      notSent: this.open ? Math.max(0, this.limitIndex - this.nextIndex) + (this.retry.length - this.retryHead) : 0,
      rps: durationMs > 0 ? (this.completed * 1_000) / durationMs : 0,
      bytesReceived: this.bytes,
      latency: summarize(this.latency),
      ...(this.open ? {
        serviceTime: summarize(this.service),
        sendLag: { ...summarize(this.lag), lateAfterMs: this.options.lateAfterMs, late: this.late },
      } : {}),
      generator: {
        cpuPercent: round(this.cpuPercent),
        saturated: saturatedCpu || lagging,
        ...(saturatedCpu ? { reason: `the generator used ${Math.round(this.cpuPercent)} % of a core: the figures may show its limit, not the target's` }
          : lagging ? { reason: `send lag p99 ${round(this.lag.percentile(99) / 1_000)} ms: the generator could not keep the schedule` } : {}),
        ...(this.exhaustedTicks > 0 ? { connectionsExhausted: true } : {}),
      },
      series: this.series,
      histogram: serializeHistogram(this.latency),
      ...(this.open ? { serviceHistogram: serializeHistogram(this.service), sendLagHistogram: serializeHistogram(this.lag) } : {}),
    };
    return result;
  }
}

/** Requests intended before `t` ms. */
function countBefore(profile: Profile, t: number): number {
  if (t <= 0) return 0;
  let low = 0;
  let high = profile.totalCount;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (profile.timeOf(mid) < t) low = mid + 1;
    else high = mid;
  }
  return low;
}
