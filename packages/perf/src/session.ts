/**
 * One load probe's shared state: the declared load, run once and judged by
 * several checks (throughput, latency, resources, trend), and the capacity
 * search, run once for perf.capacity.limit and perf.degradation.
 */
import type { CheckContext } from '@probe/core';
import type { Driver } from './engine/driver.ts';
import { runEngine } from './engine/engine.ts';
import type { LoadResult } from './engine/result.ts';
import { Profile } from './engine/schedule.ts';
import { searchCapacity, type CapacityRun } from './capacity-search.ts';
import type { LoadPlan } from './options.ts';
import { progressHook } from './progress.ts';
import { startSampler, type ResourceReport } from './resources/sampler.ts';
import { connectTimeoutMs, drive } from './run.ts';
import type { LoadProbeOptions } from './types.ts';

/** The declared load's result, and the target's resources while it ran (when asked for). */
export interface MainRun {
  result: LoadResult;
  resources?: ResourceReport;
}

/** What a load probe is made of; the HTTP and function probes differ only here. */
export interface SessionSpec {
  /** The target's name. */
  name: string;
  /** Validated options. */
  options: LoadProbeOptions;
  plan: LoadPlan;
  /** A new, unopened driver with this many connections. */
  makeDriver(connections: number): Driver;
  /** Commands that reproduce the load by hand (HTTP: curl, wrk), for evidence. */
  reproduce?(plan: LoadPlan): Record<string, string>;
}

export class LoadSession {
  readonly spec: SessionSpec;
  private mainRun: Promise<MainRun> | undefined;
  private capacityRun: Promise<CapacityRun> | undefined;

  constructor(spec: SessionSpec) {
    this.spec = spec;
  }

  /** The declared load, run once; the first check to ask runs it with its signal and logger. */
  main(context: CheckContext<unknown>): Promise<MainRun> {
    this.mainRun ??= this.runMain(context);
    return this.mainRun;
  }

  /** The capacity search, run once. */
  capacity(context: CheckContext<unknown>): Promise<CapacityRun> {
    this.capacityRun ??= this.withDriver(this.spec.plan.connections, context, (driver) => searchCapacity(this, driver, context));
    return this.capacityRun;
  }

  /** An open-model run at a constant rate on an opened driver (capacity steps, degradation points). */
  runAt(driver: Driver, rate: number, durationMs: number, context: CheckContext<unknown>): Promise<LoadResult> {
    const warmupMs = Math.min(500, Math.round(durationMs / 5));
    const plan = this.spec.plan;
    return runEngine(driver, {
      model: 'open',
      profile: new Profile(rate, [{ durationMs: warmupMs + durationMs, target: rate }]),
      warmupMs,
      maxRequests: Number.MAX_SAFE_INTEGER,
      timeoutMs: plan.timeoutMs,
      lateAfterMs: plan.lateAfterMs,
      signal: context.signal,
      onProgress: progressHook(this.spec.options.progress, `${this.spec.name} @${rate}/s`, context.log),
    });
  }

  /** Open a driver, use it, close it whatever happens. */
  async withDriver<T>(connections: number, context: CheckContext<unknown>, use: (driver: Driver) => Promise<T>): Promise<T> {
    const driver = this.spec.makeDriver(connections);
    try {
      context.signal.throwIfAborted();
      await driver.open(context.signal);
      context.signal.throwIfAborted();
      return await use(driver);
    } finally {
      await driver.close();
    }
  }

  private async runMain(context: CheckContext<unknown>): Promise<MainRun> {
    const { plan, options } = this.spec;
    const sampler = options.resources ? await startSampler(options.resources, context.signal) : undefined;
    let resources: ResourceReport | undefined;
    let result: LoadResult;
    try {
      result = await drive(this.spec.makeDriver(plan.connections), plan, {
        signal: context.signal,
        onProgress: progressHook(options.progress, this.spec.name, context.log),
      });
    } finally {
      resources = await sampler?.stop();
    }
    return { result, ...(resources ? { resources } : {}) };
  }
}

/** A check's deadline for one run of a plan (with connecting, draining and margin). */
export function runBudgetMs(plan: LoadPlan): number {
  return connectTimeoutMs(plan) * 2 + plan.warmupMs + plan.durationMs + plan.timeoutMs + 2_000;
}
