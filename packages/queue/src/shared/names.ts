/**
 * Naming of probe-owned objects: `probe.<runId>.<purpose>` (Kafka topics and
 * groups, AMQP queues and exchanges) or `probe_<runId>_<purpose>` where dots
 * are not allowed (JetStream stream and consumer names). Run ids start with
 * the run's start time in base 36 (see `newRunId` in @probe/core), so a name
 * says how old it is: that is how `queue.mgmt.cleanup` tells a stale leftover
 * of a crashed run from the objects of a run in progress.
 */

/** `probe.<runId>.` — the prefix of every dotted name of a run. */
export function dottedPrefix(runId: string): string {
  return `probe.${runId}.`;
}

/** `probe.<runId>.<purpose>`. */
export function dottedName(runId: string, purpose: string): string {
  return `${dottedPrefix(runId)}${purpose}`;
}

/** `probe_<runId>_<purpose>` for JetStream, whose names allow no dots. */
export function underscoredName(runId: string, purpose: string): string {
  return `probe_${runId}_${purpose}`;
}

/** A probe-owned name found on a broker, with its run id and the run's start time when it can be read. */
export interface OwnedName {
  name: string;
  runId: string;
  /** Epoch ms the run started (undefined when the run id was not made by `newRunId`). */
  startedAt: number | undefined;
}

/** Parse `probe.<runId>.…` or `probe_<runId>_…`; undefined for names that are not probe-owned. */
export function parseOwnedName(name: string): OwnedName | undefined {
  const match = /^probe[._]([0-9a-z]+)[._]/.exec(name);
  if (!match) return undefined;
  const runId = match[1]!;
  return { name, runId, startedAt: runStartedAt(runId) };
}

/** The start time encoded in a `newRunId()` id (base-36 epoch ms + 6 hex chars). */
export function runStartedAt(runId: string): number | undefined {
  if (!/^[0-9a-z]{7,10}[0-9a-f]{6}$/.test(runId)) return undefined;
  const ms = Number.parseInt(runId.slice(0, -6), 36);
  return ms > Date.UTC(2020, 0, 1) && ms < Date.UTC(2100, 0, 1) ? ms : undefined;
}

/**
 * Probe-owned names from runs other than `runId` that started more than
 * `staleAfterMs` ago. Names whose second segment is not a `newRunId()` id
 * (a user's own `probe.payments` topic) are never listed.
 */
export function staleNames(names: Iterable<string>, runId: string, staleAfterMs: number, now = Date.now()): OwnedName[] {
  const stale: OwnedName[] = [];
  for (const name of names) {
    const owned = parseOwnedName(name);
    if (!owned || owned.runId === runId) continue;
    if (owned.startedAt !== undefined && now - owned.startedAt > staleAfterMs) stale.push(owned);
  }
  return stale.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
