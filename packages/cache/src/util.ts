import { setTimeout as delay } from 'node:timers/promises';

/** Resolve after `ms`, or reject with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(Math.max(0, ms), undefined, { signal }).then(() => undefined, () => { throw reasonOf(signal); });
}

/** Settle with `promise`, or reject with the signal's reason as soon as it aborts (the command itself goes on). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(reasonOf(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonOf(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

function reasonOf(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/** Nearest-rank percentile of ascending-sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Milliseconds rounded to 3 decimals (microsecond resolution). */
export function roundMs(ms: number): number {
  return Math.round(ms * 1_000) / 1_000;
}

/** Quote one argument for a POSIX shell when it needs it. */
export function shellQuote(argument: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** A key for people: its text when it is valid UTF-8 without control characters, else a JSON-escaped latin1 form. */
export function displayKey(key: Buffer | string): string {
  if (typeof key === 'string') return key;
  const text = key.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(key) && !/[\u0000-\u001f\u007f]/.test(text)) return text;
  return JSON.stringify(key.toString('latin1')).slice(1, -1);
}

/** At most `max` characters, with `…` when cut. */
export function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Escape glob characters so a literal prefix can be used in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/** The first `count` items as a comma-separated list, with `, …` when there are more. */
export function listOf(items: readonly string[], count = 3): string {
  return items.length > count ? `${items.slice(0, count).join(', ')}, …` : items.join(', ');
}
