import type { FakeUpstream, RecordedRequest } from '@probe/api/testing';
import { delayRange, nominalDelay, type BackoffPolicy } from '../retry/backoff.ts';

/** One arrival at the fake dependency, as evidence shows it. */
export interface ArrivalRow {
  attempt: number;
  /** Milliseconds since the scenario started. */
  atMs: number;
  /** Milliseconds since the previous arrival. */
  gapMs?: number;
}

/** Arrivals as rows relative to `startedAt` (epoch ms). */
export function arrivalRows(arrivals: readonly RecordedRequest[], startedAt: number): ArrivalRow[] {
  return arrivals.map((request, index) => ({
    attempt: index + 1,
    atMs: request.at - startedAt,
    ...(index > 0 ? { gapMs: request.at - arrivals[index - 1]!.at } : {}),
  }));
}

/** Gaps between consecutive arrivals, in ms. */
export function gapsOf(arrivals: readonly RecordedRequest[]): number[] {
  return arrivals.slice(1).map((request, index) => request.at - arrivals[index]!.at);
}

/**
 * Wait until the route has seen no new request for `quietMs` (a client may still be
 * retrying after it reported), or `count` requests, or the signal aborts. Resolves with
 * the requests seen so far.
 */
export async function settle(upstream: FakeUpstream, route: string, options: { quietMs: number; signal: AbortSignal; count?: number }): Promise<RecordedRequest[]> {
  for (;;) {
    const seen = upstream.requestsTo(route).length;
    if (options.signal.aborted || (options.count !== undefined && seen >= options.count)) break;
    const after = await upstream.waitFor(route, { count: seen + 1, timeoutMs: options.quietMs, signal: options.signal });
    if (after.length <= seen) break;
  }
  return upstream.requestsTo(route);
}

/** Timing slack: an arrival may be `lateMs + lateRatio × delay` later than the policy allows, and `earlyMs` earlier. */
export interface Tolerance {
  /** Default 60 ms: a loaded 2-core machine delays timers, event loops and sockets. */
  lateMs: number;
  /** Default 0.25. */
  lateRatio: number;
  /** Default 15 ms: timers fire a little early, and arrival stamps are taken after the body is read. */
  earlyMs: number;
}

/** The defaults of {@link Tolerance}. */
export const DEFAULT_TOLERANCE: Tolerance = { lateMs: 60, lateRatio: 0.25, earlyMs: 15 };

/** One gap held against the policy. */
export interface GapVerdict {
  retry: number;
  gapMs: number;
  /** Nominal delay of this retry. */
  nominalMs: number;
  /** The envelope with tolerance: `[low, high]`. */
  allowedMs: [number, number];
  fits: boolean;
}

/** Hold each observed gap against the policy's envelope for that retry. */
export function judgeGaps(gaps: readonly number[], policy: BackoffPolicy, tolerance: Tolerance = DEFAULT_TOLERANCE): GapVerdict[] {
  return gaps.map((gapMs, index) => {
    const retry = index + 1;
    const [low, high] = delayRange(policy, retry, index > 0 ? gaps[index - 1] : undefined);
    const allowedMs: [number, number] = [Math.max(0, Math.round(low - tolerance.earlyMs)), Math.round(high + tolerance.lateMs + tolerance.lateRatio * high)];
    return { retry, gapMs, nominalMs: Math.round(nominalDelay(policy, retry)), allowedMs, fits: gapMs >= allowedMs[0] && gapMs <= allowedMs[1] };
  });
}

/**
 * Whether jitter shows in the gaps: a client without jitter never retries earlier than
 * the nominal delay (timers are not early), so a gap `earlyMs` or more before it can
 * only come from jitter. Jitter smaller than timing noise cannot be told apart.
 */
export function jitterSeen(gaps: readonly number[], policy: BackoffPolicy, tolerance: Tolerance = DEFAULT_TOLERANCE): boolean {
  return gaps.some((gap, index) => gap < nominalDelay(policy, index + 1) - tolerance.earlyMs);
}
