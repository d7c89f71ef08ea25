/** Durations in options: a number of milliseconds, or a string `250ms`, `10s`, `1.5m`, `1h`. */
export type Duration = number | string;

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a {@link Duration}; `undefined` when it is not one. */
export function toMs(value: Duration): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value);
  return match ? Number(match[1]) * UNITS[match[2]!]! : undefined;
}

/** `1.5 s`, `250 ms`, `2 min`: for summaries. */
export function formatMs(ms: number): string {
  if (ms >= 120_000) return `${round(ms / 60_000)} min`;
  if (ms >= 1_000) return `${round(ms / 1_000)} s`;
  return `${round(ms)} ms`;
}

/** Up to three significant digits: 0.412, 12.3, 1234. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  const factor = 10 ** Math.min(digits, 6);
  return Math.round(value * factor) / factor;
}
