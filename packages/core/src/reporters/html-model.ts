import type { CheckStartEvent, RunEndEvent, RunEvent, RunStartEvent } from '../protocol/events.ts';
import type { Result, Status, Target } from '../protocol/types.ts';
import { checkKey, collectRun } from './collect.ts';
import { anchorSlug } from './html-escape.ts';
import { synthesiseRunEnd } from './replay.ts';

/** A run, arranged for the HTML report. */
export interface HtmlRun {
  start: RunStartEvent | undefined;
  /** The stream's run-end, or the one {@link synthesiseRunEnd} makes up for a stream that has none. */
  end: RunEndEvent;
  /** Every result, by target name then check id. */
  results: Result[];
  /** Checks that started and never ended. */
  unfinished: CheckStartEvent[];
  /** Fragment id of each result's row, and of each unfinished check's entry. */
  anchors: Map<Result | CheckStartEvent, string>;
  /** Fragment id of a check's row by `target/id`, for links from the checklist. */
  anchorByKey: Map<string, string>;
  /** Domains (the first segment of the check id), sorted. */
  domains: string[];
  /** Targets by name, sorted by name. */
  targets: Target[];
}

/** The HTML statuses of everything listed: a result's status; an unfinished check counts as `error`. */
export const UNFINISHED_STATUS: Status = 'error';

/** `db` of `db.schema.foreign-keys-indexed`. */
export function domainOf(id: string): string {
  return id.split('.')[0] || id;
}

/** Sort and index a run's events for rendering. */
export function htmlRun(events: readonly RunEvent[]): HtmlRun {
  const { start, results, unfinished, end } = collectRun(events);
  const byCheck = (a: { target: Target; id: string }, b: { target: Target; id: string }) =>
    compare(a.target.name, b.target.name) || compare(a.id, b.id);
  // Shallow copies: each entry gets its own identity (and anchor) even when a stream repeats one object.
  const sorted = results.map((result) => ({ ...result })).sort(byCheck);
  const waiting = unfinished.map((event) => ({ ...event })).sort(byCheck);
  const anchors = new Map<Result | CheckStartEvent, string>();
  const anchorByKey = new Map<string, string>();
  const used = new Set<string>();
  for (const entry of [...sorted, ...waiting]) {
    const base = `check-${anchorSlug(entry.target.name)}--${anchorSlug(entry.id)}`;
    let anchor = base;
    for (let suffix = 2; used.has(anchor); suffix += 1) anchor = `${base}-${suffix}`;
    used.add(anchor);
    anchors.set(entry, anchor);
    const key = checkKey(entry.target.name, entry.id);
    if (!anchorByKey.has(key)) anchorByKey.set(key, anchor);
  }
  const targets = new Map<string, Target>();
  for (const entry of [...sorted, ...waiting]) if (!targets.has(entry.target.name)) targets.set(entry.target.name, entry.target);
  return {
    start,
    end: end ?? synthesiseRunEnd(events),
    results: sorted,
    unfinished: waiting,
    anchors,
    anchorByKey,
    domains: [...new Set([...sorted, ...waiting].map((entry) => domainOf(entry.id)))].sort(compare),
    targets: [...targets.values()].sort((a, b) => compare(a.name, b.name)),
  };
}

/** Code-point order, independent of the machine's locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
