/**
 * Two small inline-SVG charts for the HTML report: lines over a numeric x axis,
 * and bars over labelled slots. No library, no script: the file stays
 * self-contained and printable. Colours come from the report's CSS classes
 * (`series-0` …); every text is escaped.
 */
import { escapeHtml } from './html-escape.ts';

/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** Legend text. */
  name: string;
  /** Points in increasing x. */
  points: readonly (readonly [x: number, y: number])[];
}

/** One bar of a {@link barChart}. */
export interface Bar {
  /** Axis label under the bar, and its tooltip. */
  label: string;
  value: number;
}

/** Titles of a chart. */
export interface ChartText {
  /** Accessible name and tooltip of the whole chart. */
  title: string;
  xLabel: string;
  yLabel: string;
  /** `error` draws bars in the error colour. */
  tone?: 'error';
}

const WIDTH = 640;
const HEIGHT = 230;
const PLOT = { left: 58, right: WIDTH - 14, top: 30, bottom: HEIGHT - 42 };
/** Bars drawn at most; more are merged into neighbours. */
export const MAX_BARS = 60;

/** Lines on shared axes (y from 0), with a legend, grid lines and dots when there are few points. */
export function lineChart(series: readonly LineSeries[], text: ChartText): string {
  const drawn = series.filter((line) => line.points.length > 0);
  const xs = [...drawn.flatMap((line) => line.points.map((point) => point[0]))];
  const ys = drawn.flatMap((line) => line.points.map((point) => point[1]));
  if (xs.length === 0) xs.push(0);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  if (xMax === xMin) [xMin, xMax] = [xMin - 0.5, xMax + 0.5];
  const yTicks = niceTicks(0, Math.max(0, ...ys));
  const yMax = yTicks.at(-1)!;
  const x = (value: number) => PLOT.left + ((value - xMin) / (xMax - xMin)) * (PLOT.right - PLOT.left);
  const y = (value: number) => PLOT.bottom - (value / yMax) * (PLOT.bottom - PLOT.top);
  const body: string[] = [];
  for (const tick of niceTicks(xMin, xMax).filter((tick) => tick >= xMin && tick <= xMax)) {
    body.push(`<text class="tick" x="${round(x(tick))}" y="${PLOT.bottom + 16}" text-anchor="middle">${formatTick(tick)}</text>`);
  }
  drawn.forEach((line, index) => {
    const path = line.points.map((point, at) => `${at === 0 ? 'M' : 'L'}${round(x(point[0]))} ${round(y(point[1]))}`).join(' ');
    body.push(`<path class="line series-${index}" d="${path}"><title>${escapeHtml(line.name)}</title></path>`);
    if (line.points.length <= 40) {
      for (const [px, py] of line.points) {
        body.push(`<circle class="dot series-${index}" cx="${round(x(px))}" cy="${round(y(py))}" r="2.5"><title>${escapeHtml(`${line.name} at ${formatTick(px)}: ${formatValue(py)}`)}</title></circle>`);
      }
    }
  });
  return frame(text, yTicks, y, body, legend(drawn.map((line) => line.name)));
}

/** Bars in equal slots (y from 0); past {@link MAX_BARS}, neighbours are summed under the last one's label. */
export function barChart(bars: readonly Bar[], text: ChartText): string {
  const shown = mergeBars(bars);
  const yTicks = niceTicks(0, Math.max(0, ...shown.map((bar) => bar.value)));
  const yMax = yTicks.at(-1)!;
  const y = (value: number) => PLOT.bottom - (value / yMax) * (PLOT.bottom - PLOT.top);
  const slot = (PLOT.right - PLOT.left) / Math.max(1, shown.length);
  const labelEvery = Math.max(1, Math.ceil(shown.length / 10));
  const body: string[] = [];
  shown.forEach((bar, index) => {
    const left = PLOT.left + index * slot;
    const top = y(bar.value);
    const tip = escapeHtml(`${bar.label}: ${formatValue(bar.value)}`);
    body.push(`<rect class="bar${text.tone ? ` tone-${text.tone}` : ''}" x="${round(left + slot * 0.1)}" y="${round(top)}" width="${round(slot * 0.8)}" height="${round(PLOT.bottom - top)}"><title>${tip}</title></rect>`);
    if (index % labelEvery === 0) {
      body.push(`<text class="tick" x="${round(left + slot / 2)}" y="${PLOT.bottom + 16}" text-anchor="middle">${escapeHtml(bar.label)}</text>`);
    }
  });
  return frame(text, yTicks, y, body, '');
}

function frame(text: ChartText, yTicks: readonly number[], y: (value: number) => number, body: readonly string[], legendSvg: string): string {
  const grid = yTicks.map((tick) =>
    `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${round(y(tick))}" y2="${round(y(tick))}"/>`
    + `<text class="tick" x="${PLOT.left - 6}" y="${round(y(tick) + 4)}" text-anchor="end">${formatTick(tick)}</text>`);
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(text.title)}</title>`,
    ...grid,
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>`,
    ...body,
    `<text class="axis-label" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(text.xLabel)}</text>`,
    `<text class="axis-label" x="14" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(PLOT.top + PLOT.bottom) / 2})">${escapeHtml(text.yLabel)}</text>`,
    legendSvg,
    '</svg>',
  ].join('');
}

function legend(names: readonly string[]): string {
  let left = PLOT.left;
  return names.map((name, index) => {
    const entry = `<rect class="swatch series-${index}" x="${left}" y="8" width="12" height="12"/><text class="legend" x="${left + 16}" y="18">${escapeHtml(name)}</text>`;
    left += 26 + name.length * 7;
    return entry;
  }).join('');
}

function mergeBars(bars: readonly Bar[]): Bar[] {
  if (bars.length <= MAX_BARS) return [...bars];
  const size = Math.ceil(bars.length / MAX_BARS);
  const merged: Bar[] = [];
  for (let start = 0; start < bars.length; start += size) {
    const group = bars.slice(start, start + size);
    merged.push({ label: group.at(-1)!.label, value: group.reduce((sum, bar) => sum + bar.value, 0) });
  }
  return merged;
}

/** Round tick values (1, 2 or 5 × 10ⁿ apart) covering `[min, max]`; `[0, 1]` for an empty or zero range. */
export function niceTicks(min: number, max: number): number[] {
  if (!(max > min)) return min === 0 && max === 0 ? [0, 1] : [min - 1, min, max + 1];
  const rough = (max - min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let tick = Math.floor(min / step) * step; tick < max + step; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= max) break;
  }
  return ticks;
}

/** `1200`, `2.5`, `0.125`: at most 3 significant digits, no exponent for ordinary values. */
export function formatValue(value: number): string {
  return String(Number(value.toPrecision(3)));
}

function formatTick(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
