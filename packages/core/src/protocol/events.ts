import type { Result, Status, Target } from './types.ts';

/** Counts of results per status. */
export type Totals = Record<Status, number>;

/** Which part of a split run this is (`--shard 2/4` → `{ index: 2, total: 4 }`). */
export interface ShardSpec {
  /** 1-based index of this shard. */
  index: number;
  total: number;
}

interface EventBase {
  /** Protocol version: always 1. */
  v: 1;
  /** The run this event belongs to. */
  runId: string;
  /** ISO time the event was emitted. */
  time: string;
}

/** First event of a run. */
export interface RunStartEvent extends EventBase {
  type: 'run-start';
  /** Version of @probe/core that produced the stream. */
  version: string;
  /** How many checks the run plans to execute. */
  planned: number;
  readOnly: boolean;
  shard?: ShardSpec;
}

/** A check began. */
export interface CheckStartEvent extends EventBase {
  type: 'check-start';
  id: string;
  target: Target;
}

/** A check ended, with its redacted result. */
export interface CheckEndEvent extends EventBase {
  type: 'check-end';
  result: Result;
}

/** Last event of a run. */
export interface RunEndEvent extends EventBase {
  type: 'run-end';
  totals: Totals;
  /** 0 all passed (warn allowed unless strict), 1 a check failed, 2 a check errored, 130/143 interrupted. */
  exitCode: number;
  durationMs: number;
  /** Set when the run was interrupted (`SIGINT`, `SIGTERM`, `abort`). */
  interrupted?: string;
  /** Planned checks that never started because the run was interrupted. */
  notRun?: number;
  strict?: boolean;
}

/** One line of a run's NDJSON stream. */
export type RunEvent = RunStartEvent | CheckStartEvent | CheckEndEvent | RunEndEvent;

/** Something that consumes a run's events: console, NDJSON file, JUnit, Markdown, HTML. */
export interface Reporter {
  onEvent(event: RunEvent): void | Promise<void>;
  /** Flush and release; called once after `run-end` (also after an interrupt). */
  close?(): void | Promise<void>;
}
