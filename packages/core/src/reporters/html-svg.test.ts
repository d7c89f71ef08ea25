import { describe, expect, it } from 'vitest';
import { barChart, formatValue, lineChart, MAX_BARS, niceTicks } from './html-svg.ts';

const text = { title: 'Latency <of> "x"', xLabel: 'time (s)', yLabel: 'ms' };

describe('niceTicks', () => {
  it.each([
    [0, 10, [0, 5, 10]],
    [0, 9.3, [0, 5, 10]],
    [0, 1_234, [0, 500, 1_000, 1_500]],
    [0, 0.07, [0, 0.02, 0.04, 0.06, 0.08]],
    [1, 30, [0, 10, 20, 30]],
    [0, 0, [0, 1]],
    [5, 5, [4, 5, 6]],
  ])('[%d, %d] → %o', (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });
});

describe('formatValue', () => {
  it('keeps three significant digits without an exponent', () => {
    expect([1_234.5, 2.456, 0.000_123_4, 7, 0].map(formatValue)).toEqual(['1230', '2.46', '0.000123', '7', '0']);
  });
});

describe('lineChart', () => {
  it('draws one path per series, dots for few points, a legend, and escapes its text', () => {
    const svg = lineChart([{ name: 'p50', points: [[1, 2], [2, 4]] }, { name: 'p<99>', points: [[1, 8], [2, 9]] }, { name: 'empty', points: [] }], text);
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 640 230" role="img" xmlns="http:\/\/www\.w3\.org\/2000\/svg"><title>Latency &lt;of&gt; &quot;x&quot;<\/title>/);
    expect(svg.match(/<path class="line series-(\d)"/g)).toEqual(['<path class="line series-0"', '<path class="line series-1"']);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('<text class="legend" x="74" y="18">p50</text>');
    expect(svg).toContain('p&lt;99&gt;');
    expect(svg).not.toContain('empty');
    expect(svg).toContain('<path class="line series-0" d="M58 156.4 L626 124.8">');
  });

  it('draws a single point, and many points without dots', () => {
    expect(lineChart([{ name: 'one', points: [[3, 0]] }], text)).toContain('<circle class="dot series-0" cx="342" cy="188" r="2.5">');
    const many = lineChart([{ name: 'many', points: Array.from({ length: 100 }, (_unused, index) => [index, index] as const) }], text);
    expect(many).not.toContain('<circle');
    expect(lineChart([], text)).toContain('</svg>');
  });
});

describe('barChart', () => {
  it('draws one bar per value with its tooltip, and labels', () => {
    const svg = barChart([{ label: '≤1', value: 5 }, { label: '≤<2>', value: 10 }], { ...text, tone: 'error' });
    expect([...svg.matchAll(/<rect class="bar tone-error"[^>]*height="([\d.]+)"><title>([^<]+)<\/title>/g)].map((match) => [Number(match[1]), match[2]])).toEqual([
      [79, '≤1: 5'], [158, '≤&lt;2&gt;: 10'],
    ]);
  });

  it(`merges neighbours past ${MAX_BARS} bars, summing them under the last label`, () => {
    const bars = Array.from({ length: 150 }, (_unused, index) => ({ label: `b${index}`, value: 1 }));
    const tips = [...barChart(bars, text).matchAll(/<title>(b\d+): (\d+)<\/title>/g)].map((match) => `${match[1]}=${match[2]}`);
    expect(tips).toHaveLength(50);
    expect(tips.slice(0, 2)).toEqual(['b2=3', 'b5=3']);
    expect(tips.at(-1)).toBe('b149=3');
  });
});
