/**
 * The parts of split checks (`Check.split`): one result per shard, combined
 * into the result of the whole by the combiner the check names.
 */
import { ProbeError, ProbeErrorCode } from '../errors.ts';
import type { RunEvent } from '../protocol/events.ts';
import type { PartCombiner, Result } from '../protocol/types.ts';

/** Combiner names (`<package>#<export>`) the parts in these runs need, for a caller to load before merging. */
export function combinersNeeded(runs: readonly (readonly RunEvent[])[]): string[] {
  const names = new Set<string>();
  for (const events of runs) {
    for (const event of events) if (event.type === 'check-end' && event.result.part) names.add(event.result.part.combiner);
  }
  return [...names].sort();
}

/**
 * The result of the whole from the parts of one split check. All parts must name the same combiner and
 * `total`; a missing shard's part makes the result an `error` that names the missing shards (a part of a
 * load cannot be judged as the whole). Throws `PROBE_ERR_CONFIG` when the combiner was not given.
 */
export function combineParts(parts: readonly Result[], combiners: Readonly<Record<string, PartCombiner>>): Result {
  const sorted = [...parts].sort((a, b) => a.part!.index - b.part!.index);
  const first = sorted[0]!;
  const { combiner, total } = first.part!;
  const where = `${first.id} on ${first.target.name}`;
  if (sorted.some((part) => part.part!.combiner !== combiner || part.part!.total !== total)) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `cannot merge the parts of ${where}: they name different combiners or shard totals`, {
      hint: 'were the shards run with different --shard totals or different probe versions?',
    });
  }
  const indexes = new Set(sorted.map((part) => part.part!.index));
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((index) => !indexes.has(index));
  if (missing.length > 0 || indexes.size !== sorted.length) {
    const got = [...indexes].join(', ');
    const { part: _part, reason: _reason, error: _error, ...rest } = first;
    return {
      ...rest,
      status: 'error',
      summary: `only ${indexes.size} of the ${total} parts of this split check arrived (shards ${got}; missing ${missing.join(', ') || 'none, but some twice'}): the whole cannot be judged from a part`,
      error: { code: ProbeErrorCode.CONFIG, message: `merge every shard's NDJSON: missing shard(s) ${missing.join(', ')}` },
      evidence: { parts: sorted.map((part) => ({ shard: part.part!.index, status: part.status, summary: part.summary })) },
      metrics: [],
    };
  }
  const combine = combiners[combiner];
  if (!combine) {
    const pkg = combiner.slice(0, combiner.lastIndexOf('#'));
    throw new ProbeError(ProbeErrorCode.CONFIG, `the parts of ${where} need the combiner ${combiner}, which was not given`, {
      hint: `install ${pkg} where probe merge runs (it combines its own split checks)`,
    });
  }
  const combined = combine(sorted);
  const { part: _part, ...whole } = combined;
  return whole;
}
