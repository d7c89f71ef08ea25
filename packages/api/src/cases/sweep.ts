import type { Exchange } from '../client/client.ts';
import { canWrite, identityFor, isSafe, registerCreated, sendAs, whyNoWrites, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { Operation } from '../spec/operations.ts';
import { positiveCase, type Case } from './build.ts';
import { itemTemplate } from './created.ts';
import { budgetOf, mapLimit } from './limit.ts';

/** One operation of the sweep and what it answered. */
export interface SweepEntry {
  operation: Operation;
  case: Case;
  exchange: Exchange;
}

/** The positive sweep: one request per operation that could be sent safely. */
export interface Sweep {
  entries: SweepEntry[];
  /** Operations not exercised, with the reason (writes not allowed, not our resource, budget). */
  notCovered: { key: string; reason: string }[];
  durationMs: number;
}

/**
 * Send one positive request per operation, in an order that lets writes stay on the run's own
 * resources: collection reads (their ids feed item reads), then — when writes are allowed —
 * creates, item reads, updates and deletes of what was just created. Bounded by the time
 * budget, `maxOperations` and the concurrency limit.
 */
export async function runSweep(resources: ApiResources, context: ApiContext): Promise<Sweep> {
  const started = performance.now();
  const { options } = resources;
  const budget = budgetOf(options.limits.budgetMs, context.deadline);
  const writes = canWrite(context);
  const entries: SweepEntry[] = [];
  const notCovered: Sweep['notCovered'] = resources.overLimit.map((key) => ({ key, reason: `over limits.maxOperations (${options.limits.maxOperations})` }));
  const own = new Map<string, string>();        // collection path → id this run created
  const harvested = new Map<string, string>();  // collection path → id read from a list

  const send = async (operation: Operation, overrides: Record<string, string>): Promise<SweepEntry> => {
    const built = positiveCase(operation, { runId: resources.runId, parameters: options.parameters ?? {}, overrides });
    const exchange = await sendAs(context, identityFor(resources, operation), built.send);
    const entry = { operation, case: built, exchange };
    entries.push(entry);
    return entry;
  };
  const phase = async (operations: Operation[], run: (operation: Operation) => Promise<void>) => {
    const done = await mapLimit(operations, options.limits.concurrency, budget, context.signal, async (operation) => { await run(operation); return true; });
    operations.forEach((operation, index) => { if (!done[index]) notCovered.push({ key: operation.key, reason: 'time budget spent (limits.budgetMs)' }); });
  };

  const hasPlaceholder = (operation: Operation) => operation.path.includes('{');
  const safe = resources.operations.filter(isSafe);
  const unsafe = resources.operations.filter((operation) => {
    if (isSafe(operation)) return false;
    if (!resources.isAuthFlow(operation.path)) return true;
    notCovered.push({ key: operation.key, reason: 'auth flow endpoint, left to api.auth.*' });
    return false;
  });

  await phase(safe.filter((operation) => !hasPlaceholder(operation)), async (operation) => {
    const entry = await send(operation, {});
    const id = firstListedId(entry.exchange, itemTemplate(resources.operations, operation.path)?.parameter);
    if (id !== undefined) harvested.set(operation.path, id);
  });

  const creates = writes ? unsafe.filter((operation) => operation.method === 'POST') : [];
  await phase(creates.sort((a, b) => a.path.length - b.path.length), async (operation) => {
    const ids = idsFor(operation.path, own);
    if (ids.unresolved.some((name) => options.parameters?.[name] === undefined)) {
      notCovered.push({ key: operation.key, reason: `needs a parent resource this run created (${ids.unresolved.join(', ')})` });
      return;
    }
    const entry = await send(operation, ids.values);
    const status = entry.exchange.response?.status ?? 0;
    if (status < 200 || status >= 300) return;
    const id = registerCreated(context, operation, entry.exchange, 'sweep');
    if (id !== undefined) own.set(operation.path, id);
  });

  await phase(safe.filter(hasPlaceholder), async (operation) => {
    const ids = idsFor(operation.path, own);
    const fallback = idsFor(operation.path, harvested);
    await send(operation, { ...fallback.values, ...ids.values });
  });

  if (!writes) {
    for (const operation of unsafe) notCovered.push({ key: operation.key, reason: whyNoWrites(context) });
  } else {
    const changes = unsafe.filter((operation) => operation.method !== 'POST');
    const updates = changes.filter((operation) => operation.method !== 'DELETE');
    const deletes = changes.filter((operation) => operation.method === 'DELETE');
    for (const [group] of [[updates], [deletes]] as const) {
      await phase(group, async (operation) => {
        const ids = idsFor(operation.path, own);
        if (!hasPlaceholder(operation) || ids.unresolved.length > 0) {
          notCovered.push({ key: operation.key, reason: 'changes only resources this run created, and none fits this path' });
          return;
        }
        const entry = await send(operation, ids.values);
        if (operation.method === 'DELETE' && (entry.exchange.response?.status ?? 500) < 300) {
          for (const resource of resources.registry.pending()) if (resource.itemPath === entry.case.send.path) resource.deleted = true;
        }
      });
    }
  }
  return { entries, notCovered, durationMs: performance.now() - started };
}

/**
 * Values for a path's placeholders from ids known per collection: in `/a/{x}/b/{y}`, `x` is
 * an id of `/a` and `y` an id of `/a/{x}/b`.
 */
export function idsFor(path: string, known: Map<string, string>): { values: Record<string, string>; unresolved: string[] } {
  const values: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const match of path.matchAll(/\{([^}]+)\}/g)) {
    const collection = path.slice(0, match.index).replace(/\/$/, '');
    const id = known.get(collection);
    if (id !== undefined) values[match[1]!] = id;
    else unresolved.push(match[1]!);
  }
  return { values, unresolved };
}

/** The id of the first item of a list response (a top-level array, or `items`/`data`/`results`). */
function firstListedId(exchange: Exchange, parameter: string | undefined): string | undefined {
  const json = exchange.response?.json;
  const list = Array.isArray(json) ? json
    : json && typeof json === 'object' ? Object.values(json).find((value) => Array.isArray(value)) as unknown[] | undefined : undefined;
  const first = list?.[0];
  if (!first || typeof first !== 'object') return undefined;
  const record = first as Record<string, unknown>;
  const id = (parameter !== undefined ? record[parameter] : undefined) ?? record.id ?? record.uuid;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
