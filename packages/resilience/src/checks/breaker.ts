import { setTimeout as sleep } from 'node:timers/promises';
import { ProbeError, ProbeErrorCode, type Check, type CheckContext, type Outcome } from '@probe/core';
import type { Step } from '@probe/api/testing';
import type { ResilienceResources, ResolvedOptions } from '../resources.ts';
import type { BreakerExpectations } from '../types.ts';
import { step } from '../upstream/steps.ts';
import { describeOutcome, runAction } from '../verify/action.ts';
import { settle } from '../verify/arrivals.ts';
import { observeBreaker, type BreakerEvent } from '../verify/breaker-observer.ts';
import { remainingMs, reproduction } from '../verify/scenario.ts';

type Ctx = CheckContext<ResilienceResources>;

/** One call of the subject while the breaker is driven: did it reach the dependency? */
interface CallRow {
  phase: 'opening' | 'half-open' | 'after trial';
  call: number;
  /** Milliseconds since the check started. */
  atMs: number;
  /** Requests it caused at the dependency (0: the breaker short-circuited it). */
  reached: number;
  outcome: string;
}

/** Calls in a row that must not reach the dependency before the breaker counts as open. */
const CONFIRM = 3;

const CHECKLIST = ['integration.service.service-resilience.check-circuit-breakers', 'test-setup.external-dependencies.circuit-breaker-behavior-validated'];

/** The breaker verifiers: open after the threshold, one trial when half-open, closed after a successful trial. */
export function breakerChecks(options: ResolvedOptions): Check<ResilienceResources>[] {
  const breaker = options.breaker;
  if (!breaker) return [];
  const maxCalls = Math.min(60, breaker.opensAfter * 2 + CONFIRM);
  const callMs = Math.min(options.actionTimeoutMs, 1_000);
  const openingMs = maxCalls * callMs;
  const waitMs = breaker.resetTimeoutMs * 1.2 + 100;
  return [
    {
      id: 'resilience.breaker.opens',
      title: 'After the threshold, calls stop reaching the failing dependency (open)',
      checklist: CHECKLIST,
      timeoutMs: openingMs + 1_000,
      run: (context) => observed(context, breaker, (rows) => opensCheck(context, options, breaker, maxCalls, rows)),
    },
    {
      id: 'resilience.breaker.half-open',
      title: 'After the reset timeout, a single trial call passes (half-open); its failure re-opens the breaker',
      checklist: CHECKLIST,
      needs: ['resilience.breaker.opens'],
      timeoutMs: openingMs + waitMs + ((breaker.halfOpenTrials ?? 1) + 5) * callMs + 1_000,
      run: (context) => observed(context, breaker, (rows) => halfOpenCheck(context, options, breaker, maxCalls, rows)),
    },
    {
      id: 'resilience.breaker.closes',
      title: 'A successful trial closes the breaker: calls reach the dependency again',
      checklist: CHECKLIST,
      needs: ['resilience.breaker.opens'],
      timeoutMs: openingMs + waitMs + (CONFIRM + 1) * callMs + 1_000,
      run: (context) => observed(context, breaker, (rows) => closesCheck(context, options, breaker, maxCalls, rows)),
    },
  ];
}

/** Run a breaker check with the breaker's own state changes and every call in the evidence. */
async function observed(context: Ctx, breaker: BreakerExpectations, check: (rows: CallRow[]) => Promise<Outcome>): Promise<Outcome> {
  const observer = observeBreaker(breaker.instance);
  const rows: CallRow[] = [];
  const started = Date.now();
  try {
    const outcome = await check(rows);
    const timeline = rows.map((row) => ({ ...row, atMs: row.atMs - started }));
    const states = observer.events.map((event: BreakerEvent) => ({ atMs: event.at - started, state: event.state }));
    return { ...outcome, evidence: { ...outcome.evidence, calls: timeline, ...(breaker.instance ? { breakerStates: states } : {}) } };
  } finally {
    observer.stop();
  }
}

function failureStep(breaker: BreakerExpectations): Step {
  return breaker.failure === 'reset' ? step.reset() : step.fail(breaker.failure ?? 503);
}

/** One call; when it reached a failing dependency, the breaker may have (re-)opened then: remember when. */
async function callOnce(context: Ctx, options: ResolvedOptions, phase: CallRow['phase'], index: number, failing: boolean): Promise<CallRow> {
  const { upstream, url } = context.resources;
  const before = upstream.requestsTo(options.route).length;
  const outcome = await runAction(options.action, { url, signal: context.signal, boundMs: Math.min(options.actionTimeoutMs, remainingMs(context)) });
  const after = (await settle(upstream, options.route, { quietMs: 25, signal: context.signal })).length;
  const row: CallRow = { phase, call: index, atMs: Date.now(), reached: after - before, outcome: describeOutcome(outcome) };
  if (failing && row.reached > 0) context.resources.lastTripAt = Math.max(context.resources.lastTripAt ?? 0, row.atMs);
  return row;
}

/**
 * Call the subject against a failing dependency until `CONFIRM` calls in a row do not
 * reach it. `failingCalls` counts the calls that did reach it before that.
 */
async function driveOpen(context: Ctx, options: ResolvedOptions, breaker: BreakerExpectations, maxCalls: number, rows: CallRow[]): Promise<{ opened: boolean; failingCalls: number }> {
  context.resources.upstream.reset();
  context.resources.upstream.route(options.route, failureStep(breaker));
  let failingCalls = 0;
  let quiet = 0;
  for (let index = 1; index <= maxCalls && !context.signal.aborted; index++) {
    const row = await callOnce(context, options, 'opening', index, true);
    rows.push(row);
    if (row.reached > 0) {
      failingCalls += 1;
      quiet = 0;
    } else if (++quiet >= CONFIRM) {
      return { opened: true, failingCalls };
    }
  }
  return { opened: false, failingCalls };
}

async function opensCheck(context: Ctx, options: ResolvedOptions, breaker: BreakerExpectations, maxCalls: number, rows: CallRow[]): Promise<Outcome> {
  const { opened, failingCalls } = await driveOpen(context, options, breaker, maxCalls, rows);
  const evidence = { declared: { opensAfter: breaker.opensAfter }, dependency: `always ${breaker.failure ?? 503}`, ...reproduction(options) };
  if (failingCalls === 0) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `none of ${rows.length} calls reached the dependency at ${context.resources.url}`, {
      hint: 'is the breaker already open from an earlier use, or is the subject not pointed at the dependency (dependency.listen / route)?',
    });
  }
  context.metric('breaker.failing_calls_before_open', failingCalls, 'count');
  if (!opened) return { status: 'fail', summary: `never opened: all ${rows.length} calls reached the always-failing dependency (declared to open after ${breaker.opensAfter})`, evidence };
  if (failingCalls > breaker.opensAfter) return { status: 'fail', summary: `opened only after ${failingCalls} failing calls; declared to open after ${breaker.opensAfter}`, evidence };
  return { status: 'pass', summary: `opened after ${failingCalls} failing call${failingCalls === 1 ? '' : 's'} (declared ≤ ${breaker.opensAfter}); the next ${CONFIRM} calls did not reach the dependency`, evidence };
}

/** Drive the breaker open (or find it open from the previous check) and wait out its reset timeout. */
async function openAndWait(context: Ctx, options: ResolvedOptions, breaker: BreakerExpectations, maxCalls: number, rows: CallRow[]): Promise<number> {
  const { opened } = await driveOpen(context, options, breaker, maxCalls, rows);
  const trippedAt = context.resources.lastTripAt;
  if (!opened || trippedAt === undefined) {
    throw new ProbeError(ProbeErrorCode.CHECK, opened ? 'the breaker was already open and when it opened is unknown' : `the breaker did not open after ${rows.length} failing calls`, {
      hint: 'see resilience.breaker.opens',
    });
  }
  const waitUntil = trippedAt + breaker.resetTimeoutMs + Math.max(100, breaker.resetTimeoutMs * 0.1);
  await sleep(Math.max(0, waitUntil - Date.now()), undefined, { signal: context.signal });
  return waitUntil - trippedAt;
}

async function halfOpenCheck(context: Ctx, options: ResolvedOptions, breaker: BreakerExpectations, maxCalls: number, rows: CallRow[]): Promise<Outcome> {
  const waited = await openAndWait(context, options, breaker, maxCalls, rows);
  const trials = breaker.halfOpenTrials ?? 1;
  const { upstream } = context.resources;
  // A slow failing trial, so the concurrent calls arrive while it is still in flight.
  upstream.route(options.route, step.delay(150, { status: breaker.failure === 'reset' ? 503 : breaker.failure ?? 503 }));
  const concurrent = trials + 3;
  const before = upstream.requestsTo(options.route).length;
  const burst = await Promise.all(Array.from({ length: concurrent }, (_, index) => callOnce(context, options, 'half-open', index + 1, true)));
  rows.push(...burst);
  const passed = (await settle(upstream, options.route, { quietMs: 50, signal: context.signal })).length - before;
  upstream.route(options.route, failureStep(breaker));
  const after: CallRow[] = [];
  for (let index = 1; index <= 2; index++) after.push(await callOnce(context, options, 'after trial', index, true));
  rows.push(...after);
  const leaked = after.reduce((sum, row) => sum + row.reached, 0);
  const evidence = { declared: { resetTimeoutMs: breaker.resetTimeoutMs, halfOpenTrials: trials }, waitedMs: Math.round(waited), concurrentCalls: concurrent, trialsPassed: passed, ...reproduction(options) };
  context.metric('breaker.half_open_trials', passed, 'count');
  if (passed === 0) return { status: 'fail', summary: `no trial call passed ${Math.round(waited)} ms after opening (declared resetTimeoutMs ${breaker.resetTimeoutMs}): it never half-opens`, evidence };
  if (passed > trials) return { status: 'fail', summary: `let ${passed} of ${concurrent} concurrent calls through while half-open; ${trials} trial${trials === 1 ? '' : 's'} declared`, evidence };
  if (leaked > 0) return { status: 'fail', summary: `did not re-open after the failed trial: ${leaked} of 2 later calls reached the dependency`, evidence };
  return { status: 'pass', summary: `${passed} of ${concurrent} concurrent calls passed as the trial after ${Math.round(waited)} ms; its failure re-opened the breaker`, evidence };
}

async function closesCheck(context: Ctx, options: ResolvedOptions, breaker: BreakerExpectations, maxCalls: number, rows: CallRow[]): Promise<Outcome> {
  const waited = await openAndWait(context, options, breaker, maxCalls, rows);
  context.resources.upstream.route(options.route, step.ok());
  const trial = await callOnce(context, options, 'after trial', 0, false);
  rows.push(trial);
  const after: CallRow[] = [];
  for (let index = 1; index <= CONFIRM; index++) after.push(await callOnce(context, options, 'after trial', index, false));
  rows.push(...after);
  const reached = after.filter((row) => row.reached > 0).length;
  const evidence = { declared: { resetTimeoutMs: breaker.resetTimeoutMs }, waitedMs: Math.round(waited), ...reproduction(options) };
  if (trial.reached === 0) return { status: 'fail', summary: `stayed open ${Math.round(waited)} ms after opening: the trial call did not reach the recovered dependency`, evidence };
  if (reached < CONFIRM) return { status: 'fail', summary: `did not close after a successful trial: only ${reached} of the next ${CONFIRM} calls reached the dependency`, evidence };
  return { status: 'pass', summary: `closed after a successful trial: the next ${CONFIRM} calls all reached the dependency`, evidence };
}
