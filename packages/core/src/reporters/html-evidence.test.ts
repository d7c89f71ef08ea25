import { describe, expect, it } from 'vitest';
import { evidenceHtml, reproductionsHtml, reproductionsOf } from './html-evidence.ts';
import { anchorSlug, escapeHtml, htmlAttributes } from './html-escape.ts';

const limits = { collapseAfterLines: 4, maxChars: 1_000 };

describe('reproductionsOf', () => {
  it('finds repro, reproduce, reproduction and curl keys, one object down, strings and string arrays', () => {
    expect(reproductionsOf({
      repro: 'redis-cli GET k',
      request: { reproduce: 'curl -i http://x/', deeper: { repro: 'not this deep' } },
      Reproductions: ['psql -c 1', 7, ''],
      curl: '  ',
      other: 'curl -i http://y/',
      list: [{ repro: 'not in arrays' }],
    })).toEqual([
      { path: 'repro', command: 'redis-cli GET k' },
      { path: 'request.reproduce', command: 'curl -i http://x/' },
      { path: 'Reproductions', command: 'psql -c 1' },
    ]);
  });

  it('renders them as escaped blocks, or nothing', () => {
    expect(reproductionsHtml({})).toBe('');
    expect(reproductionsHtml({ repro: 'echo "<b>"' })).toBe(
      '<div class="repros"><h4>Reproduce</h4><figure class="repro"><figcaption><code>repro</code></figcaption><pre><code>echo &quot;&lt;b&gt;&quot;</code></pre></figure></div>',
    );
  });
});

describe('evidenceHtml', () => {
  it('shows short evidence in full, long evidence as a preview plus all of it, and nothing for none', () => {
    expect(evidenceHtml({}, limits)).toBe('');
    expect(evidenceHtml({ a: 1 }, limits)).toBe('<div class="evidence"><h4>Evidence</h4><pre class="json">{\n  &quot;a&quot;: 1\n}</pre></div>');
    const long = evidenceHtml({ rows: Array.from({ length: 20 }, (_unused, index) => index) }, limits);
    expect(long).toMatch(/^<div class="evidence"><h4>Evidence<\/h4><pre class="json preview">\{\n {2}&quot;rows&quot;: \[\n {4}0,\n[\s\S]* {4}9,\n…<\/pre><details class="evidence-all"><summary>All 24 lines<\/summary><pre class="json">/);
    expect(evidenceHtml({ a: 1 }, limits, true)).toBe('<details class="evidence"><summary>Evidence (3 lines)</summary><pre class="json">{\n  &quot;a&quot;: 1\n}</pre></details>');
  });

  it('cuts evidence past maxChars, saying so; survives values JSON cannot hold', () => {
    const cut = evidenceHtml({ text: 'x'.repeat(50) }, { collapseAfterLines: 20, maxChars: 20 });
    expect(cut).toContain('{\n  &quot;text&quot;: &quot;xxxxxxx\n… 46 more characters cut (the NDJSON of the run has all of it)</pre>');
    const circular: Record<string, unknown> = { big: 10n };
    circular.self = circular;
    expect(evidenceHtml(circular, limits)).toContain('&quot;self&quot;: &quot;[circular]&quot;');
  });
});

describe('escapeHtml, htmlAttributes, anchorSlug', () => {
  it('escapes markup, quotes and control characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\u0007\u001b</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;\\x07\\x1b&lt;/a&gt;');
  });

  it('writes attributes, skipping undefined and false, bare for true', () => {
    expect(htmlAttributes({ id: 'a"b', hidden: true, open: false, title: undefined, n: 3 })).toBe(' id="a&quot;b" hidden n="3"');
  });

  it('makes fragment ids of [a-z0-9._-] only', () => {
    expect(anchorSlug('Orders DB/db.schema.<fk>')).toBe('orders-db-db.schema.-fk');
    expect(anchorSlug('"><')).toBe('x');
  });
});
