import type { CheckStartEvent, RunEndEvent, Totals } from '../protocol/events.ts';
import type { Result, Status } from '../protocol/types.ts';
import type { Palette } from './ansi.ts';
import { INDENT, STATUS_LABEL } from './console-line.ts';
import { toJson } from './json.ts';
import { formatDuration, oneLine, plural, printable, truncate } from './text.ts';

/** What the end-of-run summary is made from. */
export interface SummaryInput {
  results: readonly Result[];
  /** Checks that started and never ended. */
  unfinished: readonly CheckStartEvent[];
  end: RunEndEvent;
  palette: Palette;
  /** Show all evidence and every warning and skip. */
  verbose: boolean;
}

/** Evidence lines shown per check before the rest is cut. */
export const EVIDENCE_LINES = 20;
/** Warnings and skips listed before the rest is counted. */
const LISTED = 10;

/**
 * The end-of-run summary: failures and errors first (summary, error code or
 * reason, evidence cut to {@link EVIDENCE_LINES} lines), then warnings and
 * skips, a table of counts per target, and the totals line with the exit code.
 */
export function renderSummary(input: SummaryInput): string {
  const { results, palette, verbose, end } = input;
  const out: string[] = [];
  const byStatus = (status: Status) => results.filter((result) => result.status === status);
  const problems = [...byStatus('fail'), ...byStatus('error')];
  if (problems.length > 0) {
    out.push('', palette.bold(`Failures and errors (${problems.length})`));
    for (const result of problems) out.push('', ...describe(result, palette, verbose, true));
  }
  for (const status of ['warn', 'skip'] as const) {
    const listed = byStatus(status);
    if (listed.length === 0) continue;
    out.push('', palette.bold(status === 'warn' ? `Warnings (${listed.length})` : `Skipped (${listed.length})`));
    const shown = verbose ? listed : listed.slice(0, LISTED);
    for (const result of shown) out.push(...describe(result, palette, verbose, verbose));
    if (shown.length < listed.length) out.push(`… and ${listed.length - shown.length} more (--verbose lists them all)`);
  }
  if (input.unfinished.length > 0) {
    out.push('', palette.bold(`Did not finish (${input.unfinished.length})`));
    const names = input.unfinished.map((event) => `${oneLine(event.target.name)}/${oneLine(event.id)}`);
    out.push(`${INDENT}${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? `, … ${names.length - LISTED} more` : ''}`);
  }
  if (results.length > 0) out.push('', palette.bold('Results by target'), ...targetTable(results));
  out.push('');
  if (end.interrupted) out.push(palette.status('error', interruptLine(end)));
  out.push(totalsLine(end, palette));
  return `${out.join('\n')}\n`;
}

/** `12 passed, 1 failed, 0 warned, 2 skipped, 1 errored in 1.42 s — exit 2` */
export function totalsLine(end: Pick<RunEndEvent, 'totals' | 'durationMs' | 'exitCode'>, palette?: Palette): string {
  const { totals } = end;
  const part = (status: Status, word: string) => {
    const text = `${totals[status]} ${word}`;
    return palette && totals[status] > 0 && status !== 'pass' ? palette.status(status, text) : text;
  };
  return `${part('pass', 'passed')}, ${part('fail', 'failed')}, ${part('warn', 'warned')}, ${part('skip', 'skipped')}, ${part('error', 'errored')}`
    + ` in ${formatDuration(end.durationMs)} — exit ${end.exitCode}`;
}

/** `interrupted by SIGINT: 3 checks not run` */
export function interruptLine(end: Pick<RunEndEvent, 'interrupted' | 'notRun'>): string {
  const notRun = plural(end.notRun ?? 0, 'check');
  if (end.interrupted === 'incomplete') return `incomplete run (the stream ends without run-end; the process probably died): ${notRun} not run`;
  return `interrupted by ${end.interrupted}: ${notRun} not run`;
}

function describe(result: Result, palette: Palette, verbose: boolean, withEvidence: boolean): string[] {
  const head = `${palette.status(result.status, STATUS_LABEL[result.status])}  ${oneLine(result.id)}   ${oneLine(result.target.name)}`;
  const lines = [head];
  if (result.status === 'skip') {
    lines.push(`${INDENT}${oneLine(result.reason ?? result.summary)}`);
    return lines;
  }
  if (result.status !== 'error' || result.error?.message !== result.summary) lines.push(`${INDENT}${oneLine(result.summary)}`);
  if (result.error) lines.push(`${INDENT}${oneLine(`${result.error.code}: ${result.error.message}`)}`);
  if (withEvidence && Object.keys(result.evidence).length > 0) {
    const json = printable(toJson(result.evidence, 2)).split('\n');
    const shown = verbose ? json : json.slice(0, EVIDENCE_LINES);
    lines.push(`${INDENT}evidence:`, ...shown.map((line) => `${INDENT}  ${line}`));
    if (shown.length < json.length) {
      lines.push(palette.dim(`${INDENT}  … ${json.length - shown.length} more lines (the full evidence is in the NDJSON: run with --ndjson FILE, or --verbose)`));
    }
  }
  return lines;
}

function targetTable(results: readonly Result[]): string[] {
  const rows = new Map<string, { kind: string; totals: Totals; ms: number }>();
  for (const result of results) {
    let row = rows.get(result.target.name);
    if (!row) rows.set(result.target.name, (row = { kind: result.target.kind, totals: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 }, ms: 0 }));
    row.totals[result.status] += 1;
    row.ms += result.durationMs;
  }
  const nameWidth = Math.min(20, Math.max(6, ...[...rows.keys()].map((name) => oneLine(name).length)));
  const kindWidth = Math.min(10, Math.max(4, ...[...rows.values()].map((row) => oneLine(row.kind).length)));
  const cell = (value: string | number) => String(value).padStart(7);
  const line = (name: string, kind: string, cells: (string | number)[], time: string) =>
    `  ${truncate(name, nameWidth).padEnd(nameWidth)}  ${truncate(kind, kindWidth).padEnd(kindWidth)}${cells.map(cell).join('')}${time.padStart(9)}`;
  const out = [line('target', 'kind', ['pass', 'fail', 'warn', 'skip', 'error'], 'time')];
  for (const [name, row] of rows) {
    const { totals } = row;
    out.push(line(oneLine(name), oneLine(row.kind), [totals.pass, totals.fail, totals.warn, totals.skip, totals.error], formatDuration(row.ms)));
  }
  return out;
}
