import { emptyTotals } from '../engine/totals.ts';
import type { CheckStartEvent, Reporter, RunEvent, Totals } from '../protocol/events.ts';
import type { Result } from '../protocol/types.ts';
import { CLEAR_LINE, colorEnabled, createPalette } from './ansi.ts';
import { checkKey } from './collect.ts';
import { createLineFormatter, INDENT } from './console-line.ts';
import { renderSummary } from './console-summary.ts';
import { formatDuration, oneLine, truncate } from './text.ts';

/** Where the console reporter writes: `process.stdout`, `process.stderr`, or anything with `write`. */
export interface ConsoleStream {
  write(chunk: string): unknown;
  /** True for a terminal: enables live mode by default. */
  isTTY?: boolean;
  /** Terminal width; the live status line is cut to it (80 when unknown). */
  columns?: number;
}

/** Options of {@link createConsoleReporter}. */
export interface ConsoleReporterOptions {
  /** Defaults to `process.stdout`. */
  stream?: ConsoleStream;
  /** A status line rewritten in place. Default: the stream is a TTY and `CI` is not set. */
  live?: boolean;
  /** ANSI colours. Default: live mode, unless `NO_COLOR`; `FORCE_COLOR` forces. */
  color?: boolean;
  /** All evidence uncut, every warning and skip listed, metrics under each line. */
  verbose?: boolean;
}

/** Redraws of the live status line, at most this often. */
const REDRAW_MS = 80;
/** Plain mode writes buffered lines once this many characters are waiting. */
const FLUSH_CHARS = 64 * 1024;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The human reporter. Plain mode (not a TTY, or under CI): one aligned line per
 * finished check, no escape codes. Live mode: the same lines, with a status line
 * below them rewritten in place showing what is running and the counts so far.
 * Both end with a summary: failures and errors with their evidence first, then
 * a table per target and the totals line with the exit code.
 */
export function createConsoleReporter(options: ConsoleReporterOptions = {}): Reporter {
  const stream = options.stream ?? process.stdout;
  const live = options.live ?? (stream.isTTY === true && !isCi());
  const palette = createPalette(options.color ?? colorEnabled(live));
  const verbose = options.verbose ?? false;
  const lines = createLineFormatter(palette);
  const results: Result[] = [];
  const running = new Map<string, CheckStartEvent>();
  const totals: Totals = emptyTotals();
  let planned = 0;
  let startedAt = 0;
  let pending = '';
  let flushScheduled = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let frame = 0;
  let statusShown = false;
  let finished = false;

  const flush = () => {
    flushScheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  const draw = () => {
    const status = statusLine({ planned, totals, running, elapsedMs: performance.now() - startedAt, frame: frame++ });
    const text = `${CLEAR_LINE}${pending}${truncate(status, (stream.columns ?? 80) - 1)}`;
    pending = '';
    statusShown = true;
    stream.write(text);
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const queue = (text: string) => {
    pending += text;
    if (live) return;   // the redraw timer writes it, above the status line
    if (pending.length >= FLUSH_CHARS) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  return {
    onEvent(event: RunEvent) {
      switch (event.type) {
        case 'run-start':
          planned = event.planned;
          startedAt = performance.now();
          if (live) {
            draw();
            timer = setInterval(draw, REDRAW_MS);
            timer.unref?.();
          }
          break;
        case 'check-start':
          running.set(checkKey(event.target.name, event.id), event);
          break;
        case 'check-end': {
          const { result } = event;
          running.delete(checkKey(result.target.name, result.id));
          results.push(result);
          totals[result.status] += 1;
          let text = `${lines.format(result, live ? (stream.columns ?? 80) : undefined)}\n`;
          if (verbose && result.metrics.length > 0) {
            text += `${palette.dim(`${INDENT}metrics: ${oneLine(result.metrics.map((metric) => `${metric.name}=${metric.value} ${metric.unit}`).join(', '))}`)}\n`;
          }
          queue(text);
          break;
        }
        case 'run-end': {
          finished = true;
          stopTimer();
          const summary = renderSummary({ results, unfinished: [...running.values()], end: event, palette, verbose });
          pending += summary;
          if (live && statusShown) pending = CLEAR_LINE + pending;
          flush();
          break;
        }
      }
    },
    close() {
      stopTimer();
      if (live && statusShown && !finished) pending = CLEAR_LINE + pending;
      flush();
    },
  };
}

interface StatusInput {
  planned: number;
  totals: Totals;
  running: Map<string, CheckStartEvent>;
  elapsedMs: number;
  frame: number;
}

/** `⠹ 12/40 · 1.20 s · 10 passed · 1 failed · running db.a, db.b, db.c … (+2)`: cut at the right edge when too wide. */
/** Plain text (no colour), so it can be cut to the terminal width safely. */
function statusLine({ planned, totals, running, elapsedMs, frame }: StatusInput): string {
  const done = totals.pass + totals.fail + totals.warn + totals.skip + totals.error;
  const parts = [`${SPINNER[frame % SPINNER.length]} ${done}/${planned}`, formatDuration(elapsedMs)];
  const words = { pass: 'passed', fail: 'failed', warn: 'warned', skip: 'skipped', error: 'errored' } as const;
  for (const status of ['pass', 'fail', 'warn', 'skip', 'error'] as const) {
    if (totals[status] > 0) parts.push(`${totals[status]} ${words[status]}`);
  }
  if (running.size > 0) {
    const ids = [...running.values()].slice(0, 3).map((event) => oneLine(event.id));
    parts.push(`running ${ids.join(', ')}${running.size > 3 ? ` … (+${running.size - 3})` : ''}`);
  }
  return parts.join(' · ');
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}
