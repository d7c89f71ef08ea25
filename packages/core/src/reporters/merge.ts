import { countResults, exitCodeOf, interruptExitCode } from '../engine/totals.ts';
import { ProbeError, ProbeErrorCode } from '../errors.ts';
import type { CheckEndEvent, CheckStartEvent, RunEndEvent, RunEvent, RunStartEvent } from '../protocol/events.ts';
import type { PartCombiner, Result } from '../protocol/types.ts';
import { VERSION } from '../version.ts';
import { checkKey } from './collect.ts';
import { combineParts } from './combine-parts.ts';
import { INCOMPLETE, synthesiseRunEnd } from './replay.ts';

/** Options of {@link mergeRuns}. */
export interface MergeOptions {
  /** Warnings make the exit code 1; defaults to true when any shard ran strict. */
  strict?: boolean;
  /** The merged run's id; defaults to the first shard's. */
  runId?: string;
  /**
   * Combiners for split checks' parts, by name (`@probe/perf#combineLoadParts`); see `combinersNeeded`.
   * A run with parts and no combiner for them cannot be merged.
   */
  combiners?: Readonly<Record<string, PartCombiner>>;
}

interface CheckEvents {
  target: string;
  id: string;
  start?: CheckStartEvent;
  end?: CheckEndEvent;
}

/**
 * Combine the event streams of disjoint shards (`probe run --shard i/n`) into
 * one run: one run-start (planned summed, no shard), every check's start and
 * end sorted by target name then check id, and one run-end with totals and
 * exit code recomputed, `durationMs` the longest shard's, and `interrupted`
 * set when any shard was. A shard without a run-end counts as incomplete.
 * A split check (one part per shard) becomes one result, made by its combiner.
 * Throws `PROBE_ERR_CONFIG` when any other check appears in more than one input.
 */
export function mergeRuns(runs: readonly (readonly RunEvent[])[], options: MergeOptions = {}): RunEvent[] {
  if (runs.length === 0) throw new ProbeError(ProbeErrorCode.CONFIG, 'nothing to merge: give at least one run');
  // Per check, its events from each input that has it.
  const checks = new Map<string, Map<number, CheckEvents>>();
  const starts: RunStartEvent[] = [];
  const ends: RunEndEvent[] = [];
  runs.forEach((events, input) => {
    if (events.length === 0) throw new ProbeError(ProbeErrorCode.CONFIG, `input ${input + 1} of the merge has no events`);
    for (const event of events) {
      if (event.type === 'run-start') starts.push(event);
      else if (event.type === 'run-end') ends.push(event);
      else {
        const target = event.type === 'check-start' ? event.target.name : event.result.target.name;
        const id = event.type === 'check-start' ? event.id : event.result.id;
        const key = checkKey(target, id);
        const inputs = checks.get(key) ?? new Map<number, CheckEvents>();
        const slot = inputs.get(input) ?? { target, id };
        if (event.type === 'check-start') slot.start = event;
        else slot.end = event;
        checks.set(key, inputs.set(input, slot));
      }
    }
    if (!events.some((event) => event.type === 'run-end')) ends.push(synthesiseRunEnd(events));
  });
  const byCheck = new Map<string, CheckEvents>();
  const duplicates = new Map<string, number[]>();
  let extraParts = 0;
  for (const [key, inputs] of checks) {
    const slots = [...inputs.values()];
    const parts = slots.map((slot) => slot.end?.result).filter((result): result is Result => result?.part !== undefined);
    if (parts.length > 0) {
      // A split check: a shard that started its part but never ended it (interrupted) is a missing part.
      const slot = slots.find((candidate) => candidate.end?.result.part !== undefined)!;
      extraParts += slots.length - 1;
      byCheck.set(key, { ...slot, end: { ...slot.end!, result: combineParts(parts, options.combiners ?? {}) } });
    } else if (slots.length > 1) {
      duplicates.set(key, [...inputs.keys()].map((input) => input + 1));
    } else {
      byCheck.set(key, slots[0]!);
    }
  }
  if (duplicates.size > 0) {
    const named = [...duplicates].slice(0, 5).map(([key, inputs]) => `${key} (inputs ${inputs.join(', ')})`);
    const more = duplicates.size > 5 ? ` and ${duplicates.size - 5} more` : '';
    throw new ProbeError(ProbeErrorCode.CONFIG, `cannot merge: ${named.join(', ')}${more} appear in more than one input; shards must be disjoint`, {
      hint: 'was the same file given twice, or were the shards run with different --shard totals?',
    });
  }

  const first = runs[0]![0]!;
  const runId = options.runId ?? starts[0]?.runId ?? first.runId;
  const strict = options.strict ?? ends.some((end) => end.strict === true);
  const ordered = [...byCheck.values()].sort((a, b) => compare(a.target, b.target) || compare(a.id, b.id));
  const merged: RunEvent[] = [{
    v: 1,
    type: 'run-start',
    runId,
    time: earliest(starts.map((start) => start.time)) ?? first.time,
    version: starts[0]?.version ?? VERSION,
    planned: starts.reduce((sum, start) => sum + start.planned, 0) - extraParts,
    readOnly: starts.some((start) => start.readOnly),
  }];
  const results: Result[] = [];
  for (const check of ordered) {
    if (check.start) merged.push({ ...check.start, runId });
    if (check.end) {
      merged.push({ ...check.end, runId });
      results.push(check.end.result);
    }
  }
  const totals = countResults(results);
  const interruptedBy = ends.find((end) => end.interrupted && end.interrupted !== INCOMPLETE)?.interrupted;
  const interrupted = interruptedBy ?? ends.find((end) => end.interrupted)?.interrupted;
  const notRun = ends.reduce((sum, end) => sum + (end.notRun ?? 0), 0);
  merged.push({
    v: 1,
    type: 'run-end',
    runId,
    time: latest(ends.map((end) => end.time)) ?? new Date().toISOString(),
    totals,
    exitCode: interruptedBy ? interruptExitCode(interruptedBy) : exitCodeOf(totals, strict),
    durationMs: Math.max(0, ...ends.map((end) => end.durationMs)),
    ...(interrupted ? { interrupted, notRun } : {}),
    ...(strict ? { strict: true } : {}),
  });
  return merged;
}

/** Code-unit order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function earliest(times: string[]): string | undefined {
  return times.length === 0 ? undefined : times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

function latest(times: string[]): string | undefined {
  return times.length === 0 ? undefined : times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}
