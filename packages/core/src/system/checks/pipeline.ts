import { describeValue } from '../../config/issues.ts';
import { ProbeError, ProbeErrorCode, messageOf } from '../../errors.ts';
import type { Check, CheckContext, Outcome } from '../../protocol/types.ts';
import { SYSTEM_ERR_HOOK, callHook } from '../call-hook.ts';
import { canonicalJson, checksum, sampleKeys } from '../canonical.ts';
import { SYSTEM_CHECKLIST } from '../checklist.ts';
import { deepDiff, type DiffChange } from '../deep-diff.ts';
import { plural } from '../text.ts';
import type { DataRow, PipelineOptions } from '../types.ts';

/** A key whose rows differ between what the source predicts and what the sink holds. */
export interface DivergingKey {
  key: string;
  /** `missing`: expected, not in the sink; `extra`: in the sink, not expected; `differs`: both, unequal. */
  kind: 'missing' | 'extra' | 'differs';
  expected?: unknown;
  sink?: unknown;
  /** For `differs`: which fields. */
  changes?: DiffChange[];
}

const DEFAULT_SAMPLE = 1_000;
/** Diverging keys shown in the evidence. */
const SHOWN = 5;

/**
 * `data.pipeline.<name>`: the rows the source holds, put through the model
 * `transform`, must be the rows the sink holds — the same count, and over a
 * deterministic sample of keys the same checksum. When they differ, the
 * evidence shows the first diverging keys with both sides and the fields
 * that differ.
 */
export function pipelineCheck(pipeline: PipelineOptions): Check {
  return {
    id: `data.pipeline.${pipeline.name}`,
    title: pipeline.title ?? `Pipeline ${pipeline.name}: the sink holds the transformed source`,
    checklist: [...SYSTEM_CHECKLIST.pipeline],
    parallel: true,
    ...(pipeline.timeoutMs ? { timeoutMs: pipeline.timeoutMs } : {}),
    run: (context) => comparePipeline(pipeline, context),
  };
}

async function comparePipeline(pipeline: PipelineOptions, context: CheckContext): Promise<Outcome> {
  const label = `pipeline ${pipeline.name}`;
  const bound = { signal: context.signal, runId: context.runId, timeoutMs: Math.max(1, context.deadline - Date.now()) };
  const [source, sink] = await Promise.all([
    callHook(pipeline.source, { ...bound, label: `${label}: source` }),
    callHook(pipeline.sink, { ...bound, label: `${label}: sink` }),
  ]);
  if (!source.ok) return { status: 'error', summary: source.error.message, error: source.error };
  if (!sink.ok) return { status: 'error', summary: sink.error.message, error: sink.error };
  for (const [side, value] of [['source', source.value], ['sink', sink.value]] as const) {
    if (!Array.isArray(value)) {
      const message = `${label}: ${side} returned ${describeValue(value)}; expected an array of rows (pg: result.rows)`;
      return { status: 'error', summary: message, error: { code: ProbeErrorCode.CONFIG, message } };
    }
  }
  const keyOf = keyReader(pipeline);
  const expectedRows = transformAll(source.value, pipeline, label);
  const expected = index(expectedRows, keyOf, `${label}: transformed source row`);
  const actual = index(sink.value, keyOf, `${label}: sink row`);
  const keys = sampleKeys([...expected.rows.keys(), ...actual.rows.keys()], pipeline.sample ?? DEFAULT_SAMPLE);
  const expectedSum = checksum(keys.map((key) => expected.rows.get(key) ?? null));
  const sinkSum = checksum(keys.map((key) => actual.rows.get(key) ?? null));
  const diverging = expectedSum === sinkSum ? [] : divergingKeys(keys, expected.rows, actual.rows);

  const counts = { source: source.value.length, expected: expectedRows.length, sink: sink.value.length };
  context.metric('pipeline.source_rows', counts.source, 'count');
  context.metric('pipeline.sink_rows', counts.sink, 'count');
  context.metric('pipeline.sampled', keys.length, 'count');
  context.metric('pipeline.diverging', diverging.length, 'count');
  const evidence: Record<string, unknown> = {
    counts,
    sample: { keys: keys.length, checksum: { expected: expectedSum.slice(0, 16), sink: sinkSum.slice(0, 16) } },
    ...(diverging.length > 0 ? { diverging: diverging.slice(0, SHOWN), divergingCount: diverging.length } : {}),
    ...(actual.duplicates.length > 0 ? { sinkDuplicates: actual.duplicates.slice(0, SHOWN) } : {}),
    ...(expected.duplicates.length > 0 ? { sourceDuplicates: expected.duplicates.slice(0, SHOWN) } : {}),
  };
  const problems: string[] = [];
  if (counts.expected !== counts.sink) problems.push(`${counts.expected} rows expected, the sink holds ${counts.sink}`);
  if (diverging.length > 0) problems.push(`${diverging.length} of ${keys.length} sampled keys diverge (first: ${describe(diverging[0]!)})`);
  if (actual.duplicates.length > 0) problems.push(`${plural(actual.duplicates.length, 'key appears', 'keys appear')} more than once in the sink (first: ${actual.duplicates[0]})`);
  if (problems.length > 0) return { status: 'fail', summary: `${label}: ${problems.join('; ')}`, evidence };
  const dropped = counts.source - counts.expected;
  return {
    status: 'pass',
    summary: `${label}: ${counts.sink} rows in the sink as expected${dropped > 0 ? ` (${dropped} dropped by design)` : ''}; ${keys.length} sampled keys match (checksum ${expectedSum.slice(0, 12)})`,
    evidence,
  };
}

function transformAll(rows: readonly DataRow[], pipeline: PipelineOptions, label: string): DataRow[] {
  if (!pipeline.transform) return [...rows];
  const out: DataRow[] = [];
  rows.forEach((row, position) => {
    let transformed: DataRow | undefined | null;
    try {
      transformed = pipeline.transform!(row);
    } catch (error) {
      throw new ProbeError(SYSTEM_ERR_HOOK, `${label}: transform threw on source row ${position + 1}: ${messageOf(error)}`);
    }
    if (transformed !== undefined && transformed !== null) out.push(transformed);
  });
  return out;
}

function keyReader(pipeline: PipelineOptions): (row: DataRow) => unknown {
  const { key } = pipeline;
  return typeof key === 'function' ? key : (row) => row[key];
}

interface Indexed {
  rows: Map<string, DataRow>;
  duplicates: string[];
}

function index(rows: readonly DataRow[], keyOf: (row: DataRow) => unknown, what: string): Indexed {
  const indexed: Indexed = { rows: new Map(), duplicates: [] };
  rows.forEach((row, position) => {
    const key = keyOf(row);
    if (key === undefined || key === null || key === '') {
      throw new ProbeError(ProbeErrorCode.CONFIG, `${what} ${position + 1} has no key (${canonicalJson(row).slice(0, 120)})`, {
        hint: 'check the pipeline\'s `key`: a column both sides hold, or a function of the row',
      });
    }
    const text = String(key);
    if (indexed.rows.has(text)) indexed.duplicates.push(text);
    else indexed.rows.set(text, row);
  });
  return indexed;
}

function divergingKeys(keys: readonly string[], expected: Map<string, DataRow>, sink: Map<string, DataRow>): DivergingKey[] {
  const out: DivergingKey[] = [];
  for (const key of keys) {
    const left = expected.get(key);
    const right = sink.get(key);
    if (right === undefined) out.push({ key, kind: 'missing', expected: left });
    else if (left === undefined) out.push({ key, kind: 'extra', sink: right });
    else if (canonicalJson(left) !== canonicalJson(right)) out.push({ key, kind: 'differs', expected: left, sink: right, changes: deepDiff(left, right, 10) });
  }
  return out;
}

function describe(entry: DivergingKey): string {
  if (entry.kind === 'missing') return `key ${entry.key} missing in the sink`;
  if (entry.kind === 'extra') return `key ${entry.key} in the sink but not expected`;
  const fields = entry.changes!.map((change) => change.path).join(', ');
  return `key ${entry.key} differs in ${fields}`;
}
