import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../protocol/events.ts';
import type { Result } from '../protocol/types.ts';
import { CLEAR_LINE, colorEnabled } from './ansi.ts';
import { createConsoleReporter, type ConsoleStream } from './console.ts';
import { mergeRuns } from './merge.ts';
import { recordRun } from './run-fixture.test-helper.ts';

const ESC = '\u001b';

function fakeStream(isTTY = false, columns = 80): ConsoleStream & { writes: string[]; text(): string } {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (chunk: string) => { writes.push(chunk); return true; }, text: () => writes.join('') };
}

/** A real run, in a fixed order with fixed times, so the output can be compared as a whole. */
async function steadyRun(): Promise<RunEvent[]> {
  const { events } = await recordRun();
  return mergeRuns([events], { runId: 'run1' }).map((event) => {
    if (event.type === 'check-end') return { ...event, result: { ...event.result, durationMs: event.result.status === 'error' ? 30.4 : 2.25 } };
    if (event.type === 'run-end') return { ...event, durationMs: 1_420 };
    return event;
  });
}

async function feed(events: RunEvent[], options: Parameters<typeof createConsoleReporter>[0]) {
  const reporter = createConsoleReporter(options);
  for (const event of events) await reporter.onEvent(event);
  await reporter.close?.();
}

afterEach(() => { vi.unstubAllEnvs(); });

describe('console reporter, plain (not a TTY / CI)', () => {
  it('prints one aligned line per check, then failures with evidence, a table per target and the totals', async () => {
    const stream = fakeStream();
    await feed(await steadyRun(), { stream, color: false });
    expect(stream.text()).toMatchInlineSnapshot(`
      "SKIP   cache.eviction.policy          cache         2.3 ms   skipped: read-only mode: this check writes (in probe-owned objects or rolled-back transactions)
      WARN   cache.hit-ratio                cache         2.3 ms   hit ratio 62% < 80% advisory
      PASS   cache.ttl.set                  cache         2.3 ms   TTL honoured
      PASS   db.connection.connectivity     orders-db     2.3 ms   connected to PostgreSQL 15.19 in 3 ms
      SKIP   db.crud.round-trip             orders-db     2.3 ms   skipped: needs db.schema.foreign-keys-indexed (fail)
      ERROR  db.pool.exhaustion             orders-db      30 ms   check db.pool.exhaustion on orders-db did not finish within 30 ms — raise its timeoutMs, or check why the target is slow
      FAIL   db.query.hostile               orders-db     2.3 ms   row <script>alert(1)</script> & "quoted" 'single' bell\\x07 esc\\x1b[31m
      FAIL   db.schema.foreign-keys-indexed   orders-db     2.3 ms   2 foreign keys have no index

      Failures and errors (3)

      FAIL   db.query.hostile   orders-db
             row <script>alert(1)</script> & "quoted" 'single' bell\\x07 esc\\x1b[31m
             evidence:
               {
                 "rows": [
                   1,
                   2,
                   3,
                   4,
                   5,
                   6,
                   7,
                   8,
                   9,
                   10,
                   11,
                   12,
                   13,
                   14,
                   15,
                   16,
                   17,
                   18,
               … 20 more lines (the full evidence is in the NDJSON: run with --ndjson FILE, or --verbose)

      FAIL   db.schema.foreign-keys-indexed   orders-db
             2 foreign keys have no index
             evidence:
               {
                 "unindexed": [
                   "orders.customer_id",
                   "order_items.order_id"
                 ],
                 "repro": "psql \\"postgres://app:***@127.0.0.1:5432/app\\" -c \\"\\\\d orders\\""
               }

      ERROR  db.pool.exhaustion   orders-db
             PROBE_ERR_TIMEOUT: check db.pool.exhaustion on orders-db did not finish within 30 ms — raise its timeoutMs, or check why the target is slow

      Warnings (1)
      WARN   cache.hit-ratio   cache
             hit ratio 62% < 80% advisory

      Skipped (2)
      SKIP   cache.eviction.policy   cache
             read-only mode: this check writes (in probe-owned objects or rolled-back transactions)
      SKIP   db.crud.round-trip   orders-db
             needs db.schema.foreign-keys-indexed (fail)

      Results by target
        target     kind       pass   fail   warn   skip  error     time
        cache      redis         1      0      1      1      0   6.8 ms
        orders-db  postgres      1      2      0      1      1    39 ms

      2 passed, 2 failed, 1 warned, 2 skipped, 1 errored in 1.42 s — exit 2
      "
    `);
  });

  it('writes no escape codes, even for text from the target, unless colour is forced', async () => {
    const stream = fakeStream();
    await recordRun({ reporters: [createConsoleReporter({ stream })] });
    expect(stream.text()).not.toContain(ESC);
    expect(stream.text()).toContain('bell\\x07 esc\\x1b[31m');
    const forced = fakeStream();
    await recordRun({ reporters: [createConsoleReporter({ stream: forced, color: true })] });
    expect(forced.text()).toContain(`${ESC}[31mFAIL `);
    expect(forced.text()).not.toContain('\r');
  });

  it('says which checks an interrupted run did not run, with exit 130', async () => {
    const controller = new AbortController();
    const stream = fakeStream();
    await recordRun({
      signal: controller.signal,
      reporters: [createConsoleReporter({ stream })],
      probes: [{ target: { kind: 'test', name: 't1' }, checks: [
        { id: 'demo.stop', title: 'stop', run: () => { controller.abort('SIGINT'); return { status: 'pass', summary: 'ok' }; } },
        { id: 'demo.never', title: 'never', run: () => ({ status: 'pass', summary: 'ok' }) },
      ] }],
    });
    expect(stream.text()).toMatch(/interrupted by SIGINT: 1 check not run\n0 passed, 0 failed, 0 warned, 0 skipped, 1 errored in .+ — exit 130\n$/);
  });

  it('lists checks that never finished when replaying a crashed run', async () => {
    const events = await steadyRun();
    const crashed = events.slice(0, 3);   // run-start, check-start, check-end … then a check-start never ended
    crashed.push(events[3]!);
    const stream = fakeStream();
    await feed([...crashed, { v: 1, type: 'run-end', runId: 'run1', time: events[0]!.time, totals: { pass: 0, fail: 0, warn: 0, skip: 1, error: 0 }, exitCode: 0, durationMs: 5, interrupted: 'incomplete', notRun: 7 }], { stream });
    expect(stream.text()).toContain('Did not finish (1)\n       cache/cache.hit-ratio\n');
    expect(stream.text()).toContain('incomplete run (the stream ends without run-end; the process probably died): 7 checks not run\n');
  });

  it('writes each line soon after its check ends, in few writes', async () => {
    const stream = fakeStream();
    const reporter = createConsoleReporter({ stream });
    const events = await steadyRun();
    await reporter.onEvent(events[0]!);
    await reporter.onEvent(events[1]!);
    await reporter.onEvent(events[2]!);
    expect(stream.writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.writes).toEqual([expect.stringMatching(/^SKIP   cache\.eviction\.policy .*\n$/)]);
    await reporter.close?.();
  });

  it('in verbose mode shows all evidence, metrics, and every warning and skip', async () => {
    const stream = fakeStream();
    await feed(await steadyRun(), { stream, verbose: true });
    expect(stream.text()).toContain('"rows": [\n');
    expect(stream.text()).toContain('           36\n');
    expect(stream.text()).not.toContain('more lines');
    expect(stream.text()).toContain('       metrics: cache.hit_ratio=0.62 ratio\n');
    expect(stream.text()).toContain('         "hits": 62,\n');
  });

  it('keeps up with 10 000 checks', async () => {
    const [start, checkStart, checkEnd, , , , , , , , , , , , , , end] = await steadyRun();
    if (checkStart?.type !== 'check-start' || checkEnd?.type !== 'check-end') throw new Error('unexpected fixture');
    const stream = fakeStream();
    const reporter = createConsoleReporter({ stream });
    const count = 10_000;
    const t0 = performance.now();
    await reporter.onEvent({ ...start!, ...{ planned: count } } as RunEvent);
    for (let index = 0; index < count; index++) {
      const id = `demo.check-${index}`;
      const status: Result['status'] = index % 100 === 0 ? 'fail' : 'pass';
      await reporter.onEvent({ ...checkStart, id });
      await reporter.onEvent({ ...checkEnd, result: { ...checkEnd.result, id, status, summary: `summary ${index}` } });
    }
    await reporter.onEvent(end!);
    await reporter.close?.();
    const perCheckMs = (performance.now() - t0) / count;
    console.info(`console reporter (plain): ${(perCheckMs * 1_000).toFixed(2)} µs per check, ${stream.writes.length} writes for ${count} checks`);
    expect(perCheckMs).toBeLessThan(0.05);
    expect(stream.writes.length).toBeLessThan(count / 20);
    expect(stream.text().split('\n').filter((line) => /^(PASS|FAIL) {3}demo\.check-/.test(line))).toHaveLength(count);
  });
});

describe('console reporter, live (TTY)', () => {
  it('rewrites a status line in place showing what runs, and prints finished checks above it', async () => {
    const stream = fakeStream(true, 120);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await recordRun({
      concurrency: 5,
      reporters: [createConsoleReporter({ stream, live: true, color: false })],
      probes: ['t1', 't2', 't3', 't4'].map((name) => ({
        target: { kind: 'test', name },
        checks: [
          { id: 'demo.quick', title: 'quick', run: () => ({ status: 'pass' as const, summary: 'ok' }) },
          { id: `demo.slow-${name}`, title: 'slow', run: () => sleep(250).then(() => ({ status: 'pass' as const, summary: 'ok' })) },
        ],
      })),
    });
    const statusWrites = stream.writes.filter((chunk) => chunk.startsWith(CLEAR_LINE) && chunk.includes('running '));
    expect(statusWrites.length).toBeGreaterThan(0);
    const status = statusWrites.at(-1)!.split('\n').at(-1)!;
    expect(status).toMatch(/^\r\u001b\[2K. 4\/8 · \d+ ms · 4 passed · running demo\.slow-t1, demo\.slow-t2, demo\.slow-t3 … \(\+1\)$/);
    const text = stream.text();
    expect(text).toMatch(/\n?PASS {3}demo\.quick/);
    const last = stream.writes.at(-1)!;
    expect(last.startsWith(CLEAR_LINE)).toBe(true);
    expect(last).toMatch(/8 passed, 0 failed, 0 warned, 0 skipped, 0 errored in .+ — exit 0\n$/);
    expect(last).not.toContain('running ');
  });

  it('is the default on a TTY outside CI, with colour unless NO_COLOR', async () => {
    vi.stubEnv('CI', '');
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', undefined);
    const tty = fakeStream(true);
    await recordRun({ reporters: [createConsoleReporter({ stream: tty })] });
    const statusLines = tty.text().split('\n').flatMap((line) => line.split(CLEAR_LINE).slice(1));
    expect(statusLines.length).toBeGreaterThan(0);
    expect(statusLines.every((line) => line.length < 80)).toBe(true);
    expect(tty.text()).toContain(`${ESC}[31mFAIL `);
    vi.stubEnv('CI', 'true');
    const ci = fakeStream(true);
    await recordRun({ reporters: [createConsoleReporter({ stream: ci })] });
    expect(ci.text()).not.toContain(ESC);
    expect(ci.text()).not.toContain('\r');
  });

  it('moves a summary that would overflow the terminal to its own line', async () => {
    const stream = fakeStream(true, 80);
    await feed(await steadyRun(), { stream, live: true, color: false });
    expect(stream.text()).toContain('\u001b[2KSKIP   cache.eviction.policy          cache         2.3 ms\n       skipped: read-only mode: this check writes');
    expect(stream.text()).toContain('\nPASS   cache.ttl.set                  cache         2.3 ms   TTL honoured\n');
  });

  it('clears its status line when closed without a run-end', async () => {
    const stream = fakeStream(true);
    const reporter = createConsoleReporter({ stream, live: true, color: false });
    const events = await steadyRun();
    await reporter.onEvent(events[0]!);
    await reporter.close?.();
    expect(stream.writes.at(-1)).toBe(CLEAR_LINE);
  });
});

describe('colorEnabled', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
  ])('live=%s env=%j → %s', (live, env, expected) => {
    expect(colorEnabled(live, env)).toBe(expected);
  });
});
