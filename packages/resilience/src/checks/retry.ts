import type { Check, CheckContext, Outcome } from '@probe/core';
import type { Step } from '@probe/api/testing';
import type { ResilienceResources, ResolvedOptions } from '../resources.ts';
import { delayRange, describeBackoff } from '../retry/backoff.ts';
import type { RetryExpectations, TransientFault } from '../types.ts';
import { step } from '../upstream/steps.ts';
import { describeOutcome } from '../verify/action.ts';
import { gapsOf, jitterSeen, judgeGaps, type GapVerdict } from '../verify/arrivals.ts';
import { notCalled, playScenario, reproduction } from '../verify/scenario.ts';

type Ctx = CheckContext<ResilienceResources>;

const DEFAULT_TRANSIENT: TransientFault[] = [503, 'reset'];
const DEFAULT_PERMANENT = [400, 404];
/** How long the scenarios that judge arrivals before the report wait for stragglers. */
const SETTLE_MS = 60;

/** The four retry verifiers, judged from what reaches the fake dependency. */
export function retryChecks(options: ResolvedOptions): Check<ResilienceResources>[] {
  const retry = options.retry;
  if (!retry) return [];
  // Extra attempts are the defect max-attempts and permanent look for, so they wait out the longest gap the
  // policy allows after the subject reported; transient and backoff judge what came before, so they wait briefly.
  const quietMs = quietAfter(retry);
  const scenarioMs = options.actionTimeoutMs + quietMs;
  const transient = retry.transient ?? DEFAULT_TRANSIENT;
  const permanent = retry.permanent ?? DEFAULT_PERMANENT;
  const checks: Check<ResilienceResources>[] = [
    {
      id: 'resilience.retry.transient',
      title: 'Transient failures (5xx, reset, timeout) are retried',
      checklist: ['test-setup.retry-error-handling.transient-failures-trigger-retry'],
      timeoutMs: transient.length * scenarioMs + 1_000,
      run: (context) => transientCheck(context, options, retry, transient, SETTLE_MS),
    },
    {
      id: 'resilience.retry.max-attempts',
      title: 'Never more attempts than declared',
      checklist: ['test-setup.retry-error-handling.max-retry-attempts-respected'],
      timeoutMs: scenarioMs + 1_000,
      run: (context) => maxAttemptsCheck(context, options, retry, quietMs),
    },
    {
      id: 'resilience.retry.permanent',
      title: 'Permanent errors (4xx other than 408/429) are not retried',
      checklist: ['test-setup.retry-error-handling.permanent-errors-dont-retry'],
      timeoutMs: permanent.length * scenarioMs + 1_000,
      run: (context) => permanentCheck(context, options, permanent, quietMs),
    },
  ];
  if (retry.backoff || retry.honoursRetryAfter) {
    checks.push({
      id: 'resilience.retry.backoff',
      title: 'Gaps between attempts follow the declared backoff; Retry-After is honoured',
      checklist: ['test-setup.retry-error-handling.backoff-strategy-verified'],
      timeoutMs: 2 * scenarioMs + (retry.honoursRetryAfter ? scenarioMs + 1_000 : 0) + 1_000,
      run: (context) => backoffCheck(context, options, retry, SETTLE_MS),
    });
  }
  return checks;
}

/** How long to wait for a straggling attempt after the subject reported: the longest gap the policy allows, with slack (0.1–2 s). */
function quietAfter(retry: RetryExpectations): number {
  if (!retry.backoff) return 100;
  const longest = Math.max(...Array.from({ length: Math.max(1, retry.maxAttempts - 1) }, (_, index) => delayRange(retry.backoff!, index + 1)[1]));
  return Math.round(Math.min(2_000, Math.max(100, longest * 1.2 + 50)));
}

function transientStep(fault: TransientFault): Step {
  if (fault === 'reset') return step.reset();
  if (fault === 'close') return step.close();
  if (fault === 'timeout') return step.hang();
  return step.fail(fault);
}

function label(fault: TransientFault): string {
  return fault === 'reset' ? 'connection reset' : fault === 'close' ? 'connection closed without answer' : fault === 'timeout' ? 'no answer (timeout)' : String(fault);
}

async function transientCheck(context: Ctx, options: ResolvedOptions, retry: RetryExpectations, faults: TransientFault[], quietMs: number): Promise<Outcome> {
  const failures = Math.min(2, retry.maxAttempts - 1);
  if (failures < 1) return { status: 'skip', summary: 'maxAttempts is 1: no retries are declared', reason: 'maxAttempts is 1: no retries are declared' };
  const rows: Record<string, unknown>[] = [];
  const problems: string[] = [];
  for (const fault of faults) {
    const scenario = await playScenario(context, options, step.failTimes(failures, transientStep(fault)), quietMs);
    if (scenario.arrivals.length === 0) throw notCalled(options, context.resources.url, scenario.outcome);
    const attempts = scenario.arrivals.length;
    const expected = failures + 1;
    rows.push({ fault: label(fault), script: `${label(fault)} ×${failures}, then 200`, attempts, expected, outcome: describeOutcome(scenario.outcome), arrivals: scenario.rows });
    if (attempts === 1) problems.push(`${label(fault)} was not retried (1 attempt)`);
    else if (attempts < expected) problems.push(`gave up on ${label(fault)} after ${attempts} attempts, before the dependency recovered on attempt ${expected}`);
    else if (attempts > expected) problems.push(`kept calling after the dependency answered 200: ${attempts} attempts for ${label(fault)}`);
    else if (!scenario.outcome.ok) problems.push(`retried ${label(fault)} until it answered 200, but reported failure (${describeOutcome(scenario.outcome)})`);
  }
  context.metric('retry.transient_faults_tested', faults.length, 'count');
  const evidence = { scenarios: rows, ...reproduction(options) };
  if (problems.length > 0) return { status: 'fail', summary: problems.join('; '), evidence };
  return { status: 'pass', summary: `retried every transient failure (${faults.map(label).join(', ')}): ${failures} failures, then success on attempt ${failures + 1}`, evidence };
}

async function maxAttemptsCheck(context: Ctx, options: ResolvedOptions, retry: RetryExpectations, quietMs: number): Promise<Outcome> {
  const scenario = await playScenario(context, options, step.fail(503), quietMs);
  if (scenario.arrivals.length === 0) throw notCalled(options, context.resources.url, scenario.outcome);
  const attempts = scenario.arrivals.length;
  context.metric('retry.attempts', attempts, 'count');
  const evidence = { declaredMaxAttempts: retry.maxAttempts, attempts, dependency: 'always 503', outcome: describeOutcome(scenario.outcome), arrivals: scenario.rows, ...reproduction(options) };
  if (attempts > retry.maxAttempts) {
    return { status: 'fail', summary: `made ${attempts} attempts against an always-failing dependency; at most ${retry.maxAttempts} declared`, evidence };
  }
  if (attempts < retry.maxAttempts) {
    return { status: 'warn', summary: `made ${attempts} of the ${retry.maxAttempts} declared attempts against an always-failing dependency (fewer: is the declaration right?)`, evidence };
  }
  return { status: 'pass', summary: `stopped after ${attempts} attempts (${retry.maxAttempts} declared) against a dependency that always answers 503`, evidence };
}

async function permanentCheck(context: Ctx, options: ResolvedOptions, statuses: number[], quietMs: number): Promise<Outcome> {
  const rows: Record<string, unknown>[] = [];
  for (const status of statuses) {
    const scenario = await playScenario(context, options, step.fail(status), quietMs);
    if (scenario.arrivals.length === 0) throw notCalled(options, context.resources.url, scenario.outcome);
    rows.push({ status, attempts: scenario.arrivals.length, outcome: describeOutcome(scenario.outcome), arrivals: scenario.rows });
  }
  const retried = rows.filter((row) => (row.attempts as number) > 1);
  const evidence = { scenarios: rows, ...reproduction(options) };
  if (retried.length > 0) {
    return { status: 'fail', summary: `retried permanent errors: ${retried.map((row) => `${row.status} → ${row.attempts} attempts`).join(', ')} (a permanent error fails the same way every time)`, evidence };
  }
  return { status: 'pass', summary: `${statuses.join(', ')} were each tried once, not retried`, evidence };
}

async function backoffCheck(context: Ctx, options: ResolvedOptions, retry: RetryExpectations, quietMs: number): Promise<Outcome> {
  const problems: string[] = [];
  const notes: string[] = [];
  const evidence: Record<string, unknown> = { ...reproduction(options) };
  if (retry.backoff) {
    const policy = retry.backoff;
    const jittered = (policy.jitter ?? 'none') !== 'none';
    // With jitter declared, a second run gives it more chances to show (gaps differ across attempts and runs).
    const runs = jittered && retry.maxAttempts - 1 < 4 ? 2 : 1;
    const verdicts: GapVerdict[][] = [];
    const allGaps: number[][] = [];
    for (let run = 0; run < runs; run++) {
      const scenario = await playScenario(context, options, step.fail(503), quietMs);
      if (scenario.arrivals.length === 0) throw notCalled(options, context.resources.url, scenario.outcome);
      const gaps = gapsOf(scenario.arrivals).slice(0, retry.maxAttempts - 1);
      allGaps.push(gaps);
      verdicts.push(judgeGaps(gaps, policy, options.tolerance));
    }
    evidence.policy = describeBackoff(policy);
    evidence.tolerance = options.tolerance;
    evidence.runs = verdicts;
    const first = verdicts[0]!;
    if (first.length === 0) problems.push('no retry to time: the client made 1 attempt against an always-failing dependency');
    const misfits = verdicts.flat().filter((verdict) => !verdict.fits);
    for (const verdict of misfits.slice(0, 3)) {
      const hint = verdict.gapMs < verdict.allowedMs[0] && verdict.gapMs < 20 ? ' (no backoff?)' : '';
      problems.push(`gap before attempt ${verdict.retry + 1} was ${verdict.gapMs} ms, outside ${verdict.allowedMs[0]}–${verdict.allowedMs[1]} ms${hint}`);
    }
    if (jittered && first.length > 0 && !allGaps.some((gaps) => jitterSeen(gaps, policy, options.tolerance))) {
      problems.push(`${policy.jitter} jitter is declared but no gap came earlier than its nominal delay (gaps ${allGaps.map((gaps) => gaps.join('/')).join(', ')} ms)`);
    }
    if (first.length > 0) {
      notes.push(`gaps ${allGaps.map((gaps) => gaps.join(', ')).join(' | ')} ms fit ${describeBackoff(policy)}`);
      const jitter = allGaps.flat();
      context.metric('retry.gap_min_ms', Math.min(...jitter), 'ms');
      context.metric('retry.gap_max_ms', Math.max(...jitter), 'ms');
    }
  }
  if (retry.honoursRetryAfter) {
    const scenario = await playScenario(context, options, [step.fail(503, { retryAfter: 1 }), step.ok()], quietMs);
    if (scenario.arrivals.length === 0) throw notCalled(options, context.resources.url, scenario.outcome);
    const gap = gapsOf(scenario.arrivals)[0];
    evidence.retryAfter = { script: '503 with Retry-After: 1, then 200', arrivals: scenario.rows, outcome: describeOutcome(scenario.outcome) };
    if (gap === undefined) problems.push('did not retry after 503 with Retry-After: 1');
    else if (gap < 1_000 - options.tolerance.earlyMs) problems.push(`retried ${gap} ms after 503 with Retry-After: 1 (expected ≥ 1000 ms)`);
    else notes.push(`waited ${gap} ms for Retry-After: 1`);
  }
  if (problems.length > 0) return { status: 'fail', summary: problems.join('; '), evidence };
  return { status: 'pass', summary: notes.join('; '), evidence };
}
