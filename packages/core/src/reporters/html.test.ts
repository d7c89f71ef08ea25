import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../protocol/events.ts';
import type { Result } from '../protocol/types.ts';
import { INJECTION } from './html-fixture.test-helper.ts';
import { htmlProbes } from './html-fixture.test-helper.ts';
import { createHtmlReporter, renderHtml } from './html.ts';
import { recordRun } from './run-fixture.test-helper.ts';

const directory = mkdtempSync(join(tmpdir(), 'probe-html-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let events: RunEvent[];
let html: string;
beforeAll(async () => {
  ({ events } = await recordRun({ probes: htmlProbes(), reporters: [createHtmlReporter(join(directory, 'out', 'report.html'))] }));
  html = readFileSync(join(directory, 'out', 'report.html'), 'utf8');
});

/** The opening tags carrying `data-status`, in document order, as `status domain target` strings. */
const entries = (text: string, tag: string) =>
  [...text.matchAll(new RegExp(`<${tag}[^>]* data-status="([^"]*)" data-domain="([^"]*)" data-target="([^"]*)"`, 'g'))].map((match) => match.slice(1).join(' '));
const section = (text: string, id: string) => {
  const start = text.indexOf(`<section id="${id}"`);
  return start < 0 ? '' : text.slice(start, text.indexOf('</section>', start));
};
const ids = (text: string) => new Set([...text.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]!));
const result = (id: string) => events.flatMap((event) => (event.type === 'check-end' && event.result.id === id ? [event.result] : []))[0]!;

describe('renderHtml', () => {
  it('is what createHtmlReporter wrote on close, byte for byte, with no temporary file left', () => {
    expect(html).toBe(renderHtml(events));
    expect(readdirSync(join(directory, 'out'))).toEqual(['report.html']);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
  });

  it('keeps every string from a target inert: no tag, attribute or closer of its own', () => {
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html.match(/<style/gi)).toHaveLength(1);
    expect(html.match(/<\/style/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<img|<b>|onerror="/i);
    expect(html).not.toContain('__pwned=1</');
    // Shown as text where it was said: summary, error, evidence, reason, title, metric, target name, checklist id.
    const text = '&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt; &quot;&gt;&lt;/style&gt;&lt;/script&gt;&#39;&gt;&lt;b&gt;';
    expect(html.split(text).length - 1).toBeGreaterThanOrEqual(10);
    expect(html).toContain(`data-target="${text}"`);
    expect(html).toContain(`<p class="error-info"><code>PROBE_ERR_CHECK</code> upstream said ${text}</p>`);
    expect(html).toContain(`<pre><code>curl -d &#39;${text}&#39; http://127.0.0.1:1/</code></pre>`);
    expect(html).not.toContain('s3cret-canary');
  });

  it('makes control characters visible instead of passing them on', () => {
    expect(html).toContain('bell\\x07 esc\\x1b[31m');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('allows exactly its own style and script by hash, and no network at all', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp.split('; ')).toEqual([
      "default-src 'none'", `style-src ${hash(style)}`, `script-src ${hash(script)}`, 'img-src data:', "base-uri 'none'", "form-action 'none'",
    ]);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('shows the run: id, start, duration, exit code and its meaning, not interrupted', () => {
    const start = events[0]!;
    expect(html).toContain(`<code>${start.runId}</code>`);
    expect(html).toContain(`<time datetime="${new Date(start.time).toISOString()}">${start.time.slice(0, 19).replace('T', ' ')} UTC</time>`);
    expect(html).toContain('<dt>Exit code</dt><dd><strong data-exit-code="2">2</strong> a check errored</dd>');
    expect(html).toContain('<dt>Interrupted</dt><dd>no</dd>');
    expect(html).toContain('<dt>Mode</dt><dd>read-only</dd>');
    expect(html).toMatch(/<title>probe report: ERRORED — 4 passed, 2 failed, 2 warned, 3 skipped, 2 errored<\/title>/);
    expect(html).toContain('<span class="verdict">ERRORED</span>');
  });

  it('counts per status, per domain and per target', () => {
    const totals = Object.fromEntries([...html.matchAll(/data-total="([^"]+)">(\d+)</g)].map((match) => [match[1], Number(match[2])]));
    expect(totals).toEqual({ pass: 4, fail: 2, warn: 2, skip: 3, error: 2, all: 13 });
    const row = (kind: string, name: string) => {
      const match = new RegExp(`<tr data-${kind}-row="${name}">(.*?)</tr>`).exec(html)![1]!;
      return [...match.matchAll(/<td class="num[^"]*">([^<]+)<\/td>/g)].map((cell) => cell[1]).slice(0, 5).map(Number);
    };
    // pass fail warn skip error
    expect(row('domain', 'db')).toEqual([1, 2, 0, 1, 1]);
    expect(row('domain', 'perf')).toEqual([1, 0, 1, 0, 0]);
    expect(row('domain', 'cache')).toEqual([1, 0, 1, 1, 0]);
    expect(row('target', 'orders-db')).toEqual([1, 2, 0, 1, 1]);
    expect(row('target', 'orders-api')).toEqual([2, 0, 1, 0, 1]);
    expect(html).toContain('<code class="url">postgres://app:***@127.0.0.1:5432/app</code>');
  });

  it('puts failures, then errors, with their evidence, before the full results table', () => {
    const order = ['id="totals"', 'id="filters"', 'id="problems"', 'id="perf"', 'id="results"', 'id="checklist"'].map((marker) => html.indexOf(marker));
    expect(order.every((at, index) => at > 0 && (index === 0 || at > order[index - 1]!))).toBe(true);
    expect(entries(section(html, 'problems'), 'article')).toEqual([
      'fail db orders-db', 'fail db orders-db', 'error api orders-api', 'error db orders-db',
    ]);
    const problems = section(html, 'problems');
    expect(problems).toContain('<p class="summary">2 foreign keys have no index</p>');
    expect(problems).toContain('psql &quot;postgres://app:***@127.0.0.1:5432/app&quot; -c &quot;\\d orders&quot;');
    expect(problems).toContain('&quot;order_items.order_id&quot;');
    expect(problems).toMatch(/<p class="summary">check db\.pool\.exhaustion on orders-db did not finish within 30 ms[^<]*<\/p>\n<p class="error-info"><code>PROBE_ERR_TIMEOUT<\/code><\/p>/);
    // The long evidence (40 lines) shows a preview and the rest behind a toggle.
    expect(problems).toMatch(/<pre class="json preview">[^<]*…<\/pre><details class="evidence-all"><summary>All 40 lines<\/summary>/);
    expect(entries(section(html, 'results'), 'tr')).toHaveLength(13);
  });

  it('links each checklist item to its checks, and each result to its items', () => {
    const checklist = section(html, 'checklist');
    const anchors = ids(html);
    const item = /<li id="item-integration\.database\.connection\.test-connectivity" class="item mark-pass">(.*?)<\/li>/.exec(checklist)![1]!;
    expect(item).toContain('<span class="text">Test connectivity</span>');
    expect(item).toContain('<a class="check status-pass" href="#check-orders-db--db.connection.connectivity" title="pass">db.connection.connectivity <span class="on">(orders-db)</span></a>');
    expect(anchors.has('check-orders-db--db.connection.connectivity')).toBe(true);
    expect(checklist).toMatch(/<li id="item-integration\.api\.endpoint\.test-error-handling" class="item mark-fail">.*href="#check-orders-api--api.endpoint.injection"/);
    expect(checklist).toMatch(/<li id="item-integration\.api\.endpoint\.verify-response-codes" class="item mark-none">/);
    // Every in-page link has its target.
    for (const [, anchor] of html.matchAll(/href="#([^"]+)"/g)) expect(anchors.has(anchor!), anchor).toBe(true);
    expect(html).toContain('<a href="#item-integration.database.connection.test-connectivity" title="integration.database.connection.test-connectivity">Test connectivity</a>');
    // An id the catalog does not know is listed, as text.
    expect(checklist).toContain('<h3>Unknown checklist ids</h3>');
    expect(html).toMatch(/<code class="unknown-item" title="not in the checklist catalog">&lt;script&gt;/);
    expect(checklist).toMatch(/Integration checklist <code>integration\.md<\/code> <span class="counts">4\/135/);
    expect(checklist).toContain('Test setup checklist');
  });

  it('draws latency, throughput, error and histogram charts for perf evidence only', () => {
    const perf = section(html, 'perf');
    expect(entries(perf, 'article')).toEqual(['warn perf orders-api', 'pass perf orders-api']);
    const cards = perf.split('<article').slice(1);
    expect(cards[0]!.match(/<svg class="chart"/g)).toHaveLength(4);
    for (const caption of ['Latency over time', 'Throughput', 'Errors', 'Latency histogram']) expect(cards[0]).toContain(`<figcaption>${caption}</figcaption>`);
    expect(cards[0]!.match(/<path class="line series-\d"/g)).toEqual(['<path class="line series-0"', '<path class="line series-1"', '<path class="line series-2"', '<path class="line series-0"']);
    expect(cards[0]).toContain('p50 <strong>2.4 ms</strong> · p99 <strong>18.5 ms</strong>');
    // Histogram: the empty buckets before the first and after the last non-empty one are left out.
    expect([...cards[0]!.matchAll(/<rect class="bar"[^>]*><title>([^<]+)<\/title>/g)].map((match) => match[1])).toEqual(['≤4: 120', '≤8: 310', '≤16: 90', '≤32: 12', '≤64: 0', '≤128: 3']);
    expect(cards[1]!.match(/<svg class="chart"/g)).toHaveLength(1);
    expect(cards[1]).toContain('<figcaption>Latency percentiles</figcaption>');
    expect(html.match(/<svg/g)).toHaveLength(5);
    expect(html).toContain('<a class="chart-link" href="#perf-check-orders-api--perf.load.orders">charts</a>');

    const withoutPerf = renderHtml(events.filter((event) => event.type !== 'check-end' || !event.result.id.startsWith('perf.')));
    expect(withoutPerf).not.toContain('<svg');
    expect(withoutPerf).not.toContain('id="perf"');
    expect(withoutPerf).not.toContain('href="#perf"');
  });

  it('filters by data attributes, with a form hidden until the script shows it', () => {
    const form = /<form id="filters"[^>]*>([\s\S]*?)<\/form>/.exec(html)!;
    expect(form[0]).toMatch(/^<form id="filters" class="filters" hidden /);
    const values = (name: string) => [...form[1]!.matchAll(new RegExp(`name="${name}" value="([^"]*)" checked`, 'g'))].map((match) => match[1]);
    expect(values('status')).toEqual(['pass', 'fail', 'warn', 'skip', 'error']);
    expect(values('domain')).toEqual(['api', 'cache', 'db', 'perf']);
    expect(values('target')).toEqual([expect.stringMatching(/^&lt;script&gt;/), 'cache', 'orders-api', 'orders-db']);
    expect(html).not.toMatch(/<script[^>]*type="application\/json"/);
  });

  it('renders an empty run', async () => {
    const { events: empty } = await recordRun({ probes: [] });
    const page = renderHtml(empty);
    expect(page).toContain('<span class="verdict">NO CHECKS RAN</span>');
    expect(page).toContain('<p class="none">No checks ran.</p>');
    expect(page).toContain('<p class="none">No check failed or errored.</p>');
    expect(page).not.toContain('<form');
    expect([...page.matchAll(/data-total="([^"]+)">(\d+)</g)].map((match) => Number(match[2]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(page).toContain('<title>probe report: NO CHECKS RAN — no checks</title>');
    expect(page).toMatch(/Checklist <span class="muted">0\/169 items covered/);
  });

  it('renders an interrupted run: the signal, checks not run, and checks that did not finish', () => {
    const cut = events.filter((event) => event.type !== 'run-end').slice(0, 6);
    const started = cut.filter((event) => event.type === 'check-start').length;
    const ended = cut.filter((event) => event.type === 'check-end').length;
    const interrupted: RunEvent[] = [...cut, {
      v: 1, type: 'run-end', runId: cut[0]!.runId, time: cut.at(-1)!.time, totals: { pass: ended, fail: 0, warn: 0, skip: 0, error: 0 },
      exitCode: 130, durationMs: 1_234, interrupted: 'SIGINT', notRun: 7,
    }];
    const page = renderHtml(interrupted);
    expect(page).toContain('<span class="verdict">INTERRUPTED</span>');
    expect(page).toContain(`<dt>Interrupted</dt><dd><strong class="status-error">yes</strong>, by SIGINT: 7 checks not run, ${started - ended} did not finish</dd>`);
    expect(page).toContain('<strong data-exit-code="130">130</strong> interrupted by SIGINT');
    expect(page).toContain('<span class="count" data-total="not-run">7</span>');
    expect(page).toContain('DID NOT FINISH');
    expect(section(page, 'problems').match(/class="problem status-error unfinished"/g)).toHaveLength(started - ended);

    const incomplete = renderHtml(cut);
    expect(incomplete).toContain('<span class="verdict">INCOMPLETE</span>');
    expect(incomplete).toContain('<strong class="status-error">incomplete</strong>: the stream ends without run-end');
  });

  it('words the verdict of passing, warning and failing runs', () => {
    const end = events.at(-1)!;
    const only = (status: Result['status'], exitCode: number) => renderHtml([
      events[0]!,
      { v: 1, type: 'check-end', runId: end.runId, time: end.time, result: { ...result('cache.ttl.set'), status } },
      { ...(end as Extract<RunEvent, { type: 'run-end' }>), totals: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, [status]: 1 }, exitCode },
    ]);
    expect(only('pass', 0)).toContain('<span class="verdict">PASSED</span>');
    expect(only('warn', 0)).toContain('<span class="verdict">PASSED WITH WARNINGS</span>');
    expect(only('fail', 1)).toContain('<span class="verdict">FAILED</span>');
    expect(only('pass', 7)).toContain('<strong data-exit-code="7">7</strong> </dd>');
  });

  it('copes with a stream without run-start, a check reported twice and a failing load test', () => {
    const base = result('perf.load.orders');
    const failing = { ...base, status: 'fail' as const, error: { code: 'PERF_SLO', message: 'p99 over budget' } };
    const page = renderHtml([
      { v: 1, type: 'check-end', runId: 'r9', time: base.startedAt, result: failing },
      { v: 1, type: 'check-end', runId: 'r9', time: base.startedAt, result: failing },
      { v: 1, type: 'run-end', runId: 'r9', time: base.startedAt, totals: { pass: 0, fail: 2, warn: 0, skip: 0, error: 0 }, exitCode: 143, durationMs: 5, interrupted: 'SIGTERM', notRun: 0 },
    ]);
    expect(page).toContain('<code>r9</code>');
    expect(page).toContain(`<time datetime="${base.startedAt}">`);
    expect(page).toContain('<strong data-exit-code="143">143</strong> interrupted by SIGTERM');
    expect(page).toContain('id="check-orders-api--perf.load.orders"');
    expect(page).toContain('id="check-orders-api--perf.load.orders-2"');
    expect(page).toContain('<p><a href="#perf-check-orders-api--perf.load.orders">Latency charts</a></p>');
    expect(page).toContain('<p class="error-info"><code>PERF_SLO</code> p99 over budget</p>');
    expect(page).toContain('<footer>Written by probe from the run');
  });

  it('takes a title and evidence limits', () => {
    const page = renderHtml(events, { title: 'Nightly <probe>', collapseEvidenceAfterLines: 2, maxEvidenceChars: 40 });
    expect(page).toContain('<h1>Nightly &lt;probe&gt; <span class="verdict">');
    expect(page).toMatch(/more characters cut \(the NDJSON of the run has all of it\)/);
    expect(page).toContain('<summary>All 3 lines</summary>');
  });
});
