import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, type TestSuites } from 'junit2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../protocol/events.ts';
import { createJunitReporter, renderJunit } from './junit.ts';
import { HOSTILE_SUMMARY, recordRun } from './run-fixture.test-helper.ts';

const directory = mkdtempSync(join(tmpdir(), 'probe-junit-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let events: RunEvent[];
let xml: string;
let report: TestSuites;
beforeAll(async () => {
  const path = join(directory, 'out', 'junit.xml');
  ({ events } = await recordRun({ reporters: [createJunitReporter(path)] }));
  xml = readFileSync(path, 'utf8');
  report = (await parse(xml)) as TestSuites;
});

const suite = (name: string) => report.testsuite!.find((entry) => entry.name === name)!;
const testcase = (suiteName: string, id: string) => suite(suiteName).testcase!.find((entry) => entry.name === id)!;

describe('renderJunit, read back by junit2json', () => {
  it('is what createJunitReporter wrote on close', () => {
    expect(xml).toBe(renderJunit(events));
  });

  it('counts at the root and per target', () => {
    expect(report).toMatchObject({ name: 'probe', tests: 8, failures: 2, errors: 1, skipped: 2 });
    expect(report.testsuite!.map((entry) => [entry.name, entry.tests, entry.failures, entry.errors, entry.skipped])).toEqual([
      ['orders-db', 5, 2, 1, 1],
      ['cache', 3, 0, 0, 1],
    ]);
    expect(suite('orders-db').timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(suite('orders-db').properties).toEqual(expect.arrayContaining([
      { name: 'target.kind', value: 'postgres' },
      { name: 'target.url', value: 'postgres://app:***@127.0.0.1:5432/app' },
    ]));
  });

  it('maps each status to its JUnit element', () => {
    expect(testcase('orders-db', 'db.connection.connectivity')).toMatchObject({ classname: 'postgres.orders-db' });
    expect(testcase('orders-db', 'db.connection.connectivity').failure).toBeUndefined();
    const failure = testcase('orders-db', 'db.schema.foreign-keys-indexed').failure![0]!;
    expect(failure).toMatchObject({ message: '2 foreign keys have no index', type: 'db.schema.foreign-keys-indexed' });
    expect(JSON.parse(failure.inner!)).toEqual({
      unindexed: ['orders.customer_id', 'order_items.order_id'],
      repro: 'psql "postgres://app:***@127.0.0.1:5432/app" -c "\\d orders"',
    });
    expect(testcase('orders-db', 'db.pool.exhaustion').error![0]).toMatchObject({ type: 'PROBE_ERR_TIMEOUT', message: expect.stringContaining('did not finish within 30 ms') });
    expect(testcase('orders-db', 'db.crud.round-trip').skipped).toEqual([{ message: 'needs db.schema.foreign-keys-indexed (fail)' }]);
    const warn = testcase('cache', 'cache.hit-ratio');
    expect(warn.failure ?? warn.error ?? warn.skipped).toBeUndefined();
    expect(warn['system-out']![0]).toContain('WARNING (passed with a warning): hit ratio 62% < 80% advisory');
    expect(warn['system-out']![0]).toContain('metrics: cache.hit_ratio=0.62 ratio');
    expect(testcase('orders-db', 'db.connection.connectivity')['system-out']![0]).toContain('checklist: integration.database.connection.test-connectivity');
  });

  it('escapes markup and quotes and strips characters XML 1.0 cannot carry', () => {
    const hostile = testcase('orders-db', 'db.query.hostile');
    const clean = HOSTILE_SUMMARY.replace(/[\u0007\u001b]/g, '');
    expect(hostile.failure![0]!.message).toBe(clean);
    expect(hostile['system-out']![0]).toContain(clean);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('s3cret-canary');
  });

  it('keeps a multi-line message and odd characters in attributes', async () => {
    const lone = '\ud800';
    const parsed = (await parse(renderJunit([
      { v: 1, type: 'run-start', runId: 'r1', time: '2025-01-01T00:00:00.000Z', version: '0.1.0', planned: 1, readOnly: false },
      { v: 1, type: 'check-end', runId: 'r1', time: '2025-01-01T00:00:00.000Z', result: {
        id: 'demo.a', title: 'a', target: { kind: 'test', name: 'weird "name" <&>' }, status: 'error', summary: 'x',
        startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1_500, checklist: [], evidence: {}, metrics: [],
        error: { code: 'PROBE_ERR_CHECK', message: `first\nsecond\ttab ${lone}\u0000end 😀` },
      } },
    ]))) as TestSuites;
    const only = parsed.testsuite![0]!;
    expect(only.name).toBe('weird "name" <&>');
    expect(only.time).toBe(1.5);
    expect(only.testcase![0]!.error![0]!.message).toBe('first\nsecond\ttab end 😀');
  });

  it('reports checks that started and never ended as aborted errors', async () => {
    const cut = events.slice(0, events.findIndex((event) => event.type === 'check-start') + 1);
    const parsed = (await parse(renderJunit(cut))) as TestSuites;
    expect(parsed).toMatchObject({ tests: 1, errors: 1 });
    expect(parsed.testsuite![0]!.testcase![0]!.error![0]).toMatchObject({ type: 'PROBE_ERR_ABORTED', message: 'did not finish: the run ended before this check did' });
  });

  it('renders an empty run as an empty but valid report', async () => {
    const { events: empty } = await recordRun({ probes: [] });
    expect(await parse(renderJunit(empty))).toMatchObject({ name: 'probe', tests: 0, failures: 0, errors: 0, skipped: 0 });
  });
});
