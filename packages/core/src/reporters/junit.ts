import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProbeErrorCode } from '../errors.ts';
import type { Reporter, RunEvent } from '../protocol/events.ts';
import type { Result, Target } from '../protocol/types.ts';
import { collectRun } from './collect.ts';
import { toJson } from './json.ts';
import { escapeXmlText, xmlAttributes } from './xml.ts';

interface Suite {
  target: Target;
  results: Result[];
}

/**
 * A run as JUnit XML, as CI systems read it: one `<testsuite>` per target and
 * one `<testcase>` per check (`classname` = `<kind>.<target name>`). `fail` →
 * `<failure>` with the evidence, `error` → `<error>` with its code, `skip` →
 * `<skipped>`, `warn` → a passing testcase whose `<system-out>` says so; title,
 * checklist items and metrics go to `<system-out>`. A check that started but
 * never ended is an `<error type="PROBE_ERR_ABORTED">`.
 */
export function renderJunit(events: readonly RunEvent[]): string {
  const { start, results, unfinished, end } = collectRun(events);
  const suites = new Map<string, Suite>();
  const suiteOf = (target: Target) => {
    let suite = suites.get(target.name);
    if (!suite) suites.set(target.name, (suite = { target, results: [] }));
    return suite;
  };
  for (const event of events) if (event.type === 'check-start') suiteOf(event.target);
  for (const result of results) suiteOf(result.target).results.push(result);
  for (const event of unfinished) {
    suiteOf(event.target).results.push({
      id: event.id, title: event.id, target: event.target, status: 'error', startedAt: event.time, durationMs: 0,
      summary: 'did not finish: the run ended before this check did', checklist: [], evidence: {}, metrics: [],
      error: { code: ProbeErrorCode.ABORTED, message: 'did not finish: the run ended before this check did' },
    });
  }

  const body: string[] = [];
  const all = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const suite of suites.values()) {
    const count = { tests: suite.results.length, failures: 0, errors: 0, skipped: 0, ms: 0 };
    for (const result of suite.results) {
      if (result.status === 'fail') count.failures += 1;
      else if (result.status === 'error') count.errors += 1;
      else if (result.status === 'skip') count.skipped += 1;
      count.ms += result.durationMs;
    }
    all.tests += count.tests; all.failures += count.failures; all.errors += count.errors; all.skipped += count.skipped; all.ms += count.ms;
    const firstStart = suite.results.map((result) => result.startedAt).sort()[0] ?? start?.time;
    body.push(`  <testsuite${xmlAttributes({
      name: suite.target.name, tests: count.tests, failures: count.failures, errors: count.errors, skipped: count.skipped,
      time: seconds(count.ms), timestamp: timestamp(firstStart),
    })}>`);
    body.push('    <properties>');
    const properties: [string, string | undefined][] = [
      ['probe.run_id', start?.runId ?? end?.runId], ['probe.version', start?.version],
      ['target.kind', suite.target.kind], ['target.url', suite.target.url],
    ];
    for (const [name, value] of properties) if (value !== undefined) body.push(`      <property${xmlAttributes({ name, value })}/>`);
    body.push('    </properties>');
    for (const result of suite.results) body.push(testcase(result));
    body.push('  </testsuite>');
  }
  const totalMs = end?.durationMs ?? all.ms;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttributes({
      name: 'probe', tests: all.tests, failures: all.failures, errors: all.errors, skipped: all.skipped,
      time: seconds(totalMs), timestamp: timestamp(start?.time),
    })}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(result: Result): string {
  const open = `    <testcase${xmlAttributes({ name: result.id, classname: `${result.target.kind}.${result.target.name}`, time: seconds(result.durationMs) })}`;
  const inner: string[] = [];
  const evidence = Object.keys(result.evidence).length > 0 ? toJson(result.evidence, 2) : undefined;
  if (result.status === 'fail') {
    inner.push(`      <failure${xmlAttributes({ message: result.summary, type: result.id })}>${escapeXmlText(evidence ?? result.summary)}</failure>`);
  } else if (result.status === 'error') {
    const error = result.error ?? { code: ProbeErrorCode.CHECK, message: result.summary };
    const text = [error.message, ...(evidence ? [`evidence: ${evidence}`] : [])].join('\n');
    inner.push(`      <error${xmlAttributes({ message: error.message, type: error.code })}>${escapeXmlText(text)}</error>`);
  } else if (result.status === 'skip') {
    inner.push(`      <skipped${xmlAttributes({ message: result.reason ?? result.summary })}/>`);
  }
  const out = [`${result.status}: ${result.summary}`, `title: ${result.title}`];
  if (result.status === 'warn') out[0] = `WARNING (passed with a warning): ${result.summary}`;
  if (result.checklist.length > 0) out.push(`checklist: ${result.checklist.join(', ')}`);
  if (result.metrics.length > 0) out.push(`metrics: ${result.metrics.map((metric) => `${metric.name}=${metric.value} ${metric.unit}`).join(', ')}`);
  if (result.status === 'warn' && evidence) out.push(`evidence: ${evidence}`);
  inner.push(`      <system-out>${escapeXmlText(out.join('\n'))}</system-out>`);
  return `${open}>\n${inner.join('\n')}\n    </testcase>`;
}

/** Milliseconds as JUnit's seconds with millisecond precision. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1_000).toFixed(3);
}

/** JUnit's timestamp: ISO 8601 in UTC without zone or fraction (what the Ant/Jenkins schema accepts). */
function timestamp(iso: string | undefined): string | undefined {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 19) : undefined;
}

/**
 * A reporter that collects the run's events and writes JUnit XML to `path` on
 * close (creating parent directories; written to a temporary file and renamed,
 * so readers never see half a file).
 */
export function createJunitReporter(path: string): Reporter {
  const events: RunEvent[] = [];
  return {
    onEvent: (event) => { events.push(event); },
    close() {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, renderJunit(events));
      renameSync(temporary, path);
    },
  };
}
