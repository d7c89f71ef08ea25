/**
 * The engine's driver for any async function (a pg query, a Redis GET, a Kafka
 * produce): `concurrency` lanes, one call in flight on each. A call that resolves
 * is a success (unless `check` rejects its value), one that throws is an error of
 * the kind its `code` or `name` says.
 */
import { ProbeError, ProbeErrorCode, isUnreachable, messageOf } from '@probe/core';
import { CHECK_FAILED, IDLE_SINK, OK, type Driver, type DriverSink } from './engine/driver.ts';

/** What each call of a load function gets. */
export interface CallContext {
  /** 0, 1, 2, … across the whole run (warm-up included); -1 for the first, unmeasured, call. */
  iteration: number;
  /** Aborted when this call times out or the run ends: pass it to the I/O the call makes. */
  signal: AbortSignal;
}

/** A unit of work to put under load. */
export type LoadFunction = (context: CallContext) => unknown;

export interface FunctionDriverOptions {
  fn: LoadFunction;
  concurrency: number;
  /** A predicate on each call's value: false counts the call as an error of kind `check`. */
  check?: (value: unknown) => boolean;
  /** Names the target in errors. */
  label: string;
}

export function createFunctionDriver(options: FunctionDriverOptions): Driver {
  return new FunctionDriver(options);
}

class FunctionDriver implements Driver {
  readonly name = 'function';
  readonly depth = 1;
  readonly lanes: number;
  sink: DriverSink = IDLE_SINK;
  private iteration = 0;
  private readonly generations: Int32Array;
  private readonly controllers: AbortController[];

  private readonly options: FunctionDriverOptions;

  constructor(options: FunctionDriverOptions) {
    this.options = options;
    this.lanes = options.concurrency;
    this.generations = new Int32Array(this.lanes);
    this.controllers = Array.from({ length: this.lanes }, () => new AbortController());
  }

  /** One call before the load: a function that fails at once fails the run at once, with its error. */
  async open(signal: AbortSignal | undefined): Promise<void> {
    try {
      const value = await this.options.fn({ iteration: -1, signal: signal ?? new AbortController().signal });
      if (this.options.check && !this.options.check(value)) {
        throw new ProbeError(ProbeErrorCode.CHECK, `${this.options.label}: the first call's value failed the check`, { hint: 'fix check, or what the function returns' });
      }
    } catch (error) {
      if (isUnreachable(error)) throw new ProbeError(ProbeErrorCode.UNREACHABLE, `cannot load ${this.options.label}: ${messageOf(error)}`, { cause: error });
      throw error instanceof ProbeError ? error : new ProbeError(ProbeErrorCode.CHECK, `${this.options.label}: the first call failed: ${messageOf(error)}`, { cause: error });
    }
  }

  send(lane: number, count: number): void {
    for (let k = 0; k < count; k++) this.call(lane);
  }

  abort(lane: number): void {
    this.generations[lane]! += 1;
    this.controllers[lane]!.abort();
    this.controllers[lane] = new AbortController();
  }

  async close(): Promise<void> {
    for (let lane = 0; lane < this.lanes; lane++) this.abort(lane);
  }

  private call(lane: number): void {
    const generation = this.generations[lane]!;
    const check = this.options.check;
    let pending: unknown;
    try {
      pending = this.options.fn({ iteration: this.iteration++, signal: this.controllers[lane]!.signal });
    } catch (error) {
      pending = Promise.reject(error);
    }
    Promise.resolve(pending).then(
      (value) => {
        if (generation !== this.generations[lane]) return;
        const now = performance.now();
        let verdict = OK;
        if (check) {
          try {
            verdict = check(value) ? OK : CHECK_FAILED;
          } catch {
            verdict = CHECK_FAILED;
          }
        }
        this.sink.done(lane, 0, verdict, now);
        this.sink.after(lane, now);
      },
      (error: unknown) => {
        if (generation !== this.generations[lane]) return;
        const now = performance.now();
        this.sink.fail(lane, kindOf(error), now, false);
        this.sink.after(lane, now);
      },
    );
  }
}

function kindOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' || typeof code === 'number') return String(code);
    if (typeof name === 'string') return name;
  }
  return 'error';
}
