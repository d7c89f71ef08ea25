import { isDeepStrictEqual } from 'node:util';
import type { Check } from '@probe/core';
import type { Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { bodyOf } from '../cases/build.ts';
import { createdId, itemPath, itemTemplate } from '../cases/created.ts';
import { identityFor, sendAs, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import type { FlowOptions, Transform } from '../types.ts';
import { findOperation } from '../spec/operations.ts';
import { listed, plural, skipped } from './report.ts';
import { fewRequestsTimeout } from './timeouts.ts';

/** A difference between what was written and what was read back. */
export interface Difference {
  pointer: string;
  written: unknown;
  read: unknown;
}

interface FlowResult {
  name: string;
  steps: string[];
  problem?: string;
  differences?: Difference[];
  exchange?: Exchange;
}

const MAX_INFERRED = 3;

/**
 * `api.dataflow.roundtrip`: create → read → update → read → delete → read (404) on declared
 * `flows` or on collections inferred from the spec; what is read back must be what was
 * written (server-set fields ignored, declared transformations applied).
 */
export function roundtripCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.dataflow.roundtrip',
    title: 'What is written is what is read back, through create, update and delete',
    checklist: ['integration.api.data-flow.test-request-response', 'integration.api.data-flow.check-transformations', 'integration.api.data-flow.monitor-integrity'],
    writes: true,
    timeoutMs: fewRequestsTimeout(options, 6 * Math.max(1, options.flows?.length ?? MAX_INFERRED)),
    async run(context) {
      if (!options.writes) return skipped('writes are not allowed (set `writes: true`)');
      const flows = options.flows ?? inferFlows(context.resources);
      if (flows.length === 0) return skipped('no `flows`, and the spec has no collection with POST and an item GET');
      const results: FlowResult[] = [];
      for (const flow of flows) results.push(await runFlow(context, flow));
      const broken = results.filter((result) => result.problem);
      const evidence = {
        flows: results.map(({ exchange, ...result }) => ({ ...result, ...(exchange ? describeExchange(exchange, context.redact) : {}) })),
      };
      if (broken.length > 0) return { status: 'fail', summary: `${broken.length} of ${results.length} flows broke: ${listed(broken.map((result) => `${result.name}: ${result.problem}`), 2)}`, evidence };
      return { status: 'pass', summary: `${plural(results.length, 'flow')} round-tripped (${listed(results.map((result) => `${result.name}: ${result.steps.join(' → ')}`), 2)})`, evidence };
    },
  };
}

function inferFlows(resources: ApiResources): FlowOptions[] {
  return resources.operations
    .filter((operation) => operation.method === 'POST' && !operation.path.includes('{'))
    .filter((operation) => {
      const template = itemTemplate(resources.operations, operation.path);
      return template && resources.operations.some((other) => other.method === 'GET' && other.path === template.path);
    })
    .slice(0, MAX_INFERRED)
    .map((operation) => ({ collection: operation.path }));
}

async function runFlow(context: ApiContext, flow: FlowOptions): Promise<FlowResult> {
  const { resources } = context;
  const name = flow.name ?? flow.collection;
  const create = findOperation(resources.operations, `POST ${flow.collection}`);
  const template = flow.item ? { path: flow.item, parameter: /\{([^}]+)\}/.exec(flow.item)?.[1] ?? 'id' } : itemTemplate(resources.operations, flow.collection);
  const steps: string[] = [];
  const identity = identityFor(resources, create) ?? resources.identities.get('default');
  const send = (method: string, path: string, json?: unknown) => sendAs(context, identity, { method, path, ...(json !== undefined ? { json } : {}) });
  const broke = (problem: string, exchange?: Exchange, differences?: Difference[]): FlowResult => ({ name, steps, problem, ...(exchange ? { exchange } : {}), ...(differences ? { differences } : {}) });
  if (!template) return broke(`no item path under ${flow.collection}; set \`item\``);

  const written = flow.create ?? bodyOf(create, context.runId) ?? {};
  const created = await send('POST', flow.collection, written);
  steps.push(`create ${created.response?.status ?? 'no answer'}`);
  if (!ok(created)) return broke(`create answered ${created.response?.status ?? created.error}`, created);
  const id = createdId(created, template.parameter, flow.id);
  if (id === undefined) return broke(`no id in the create answer (set \`id\` to a JSON pointer or "location")`, created);
  const path = itemPath(template.path, id);
  const resource = resources.registry.add({ createdBy: `POST ${flow.collection} (roundtrip)`, id, itemPath: path, deletable: true, identity, deleted: false });

  const read = await send('GET', path);
  steps.push(`read ${read.response?.status ?? 'no answer'}`);
  if (!ok(read)) return broke(`read of ${path} answered ${read.response?.status ?? read.error}`, read);
  const ignore = new Set(flow.serverFields ?? []);
  let differences = compare(written, read.response?.json, ignore, flow.transforms ?? {});
  if (differences.length > 0) return broke(`read differs from what was written at ${listed(differences.map((difference) => difference.pointer), 3)}`, read, differences);

  const methods = new Set(resources.operations.filter((operation) => operation.path === template.path).map((operation) => operation.method));
  const updateMethod = flow.update?.method ?? (methods.has('PATCH') ? 'PATCH' : methods.has('PUT') ? 'PUT' : undefined);
  if (updateMethod) {
    const change = flow.update?.body ?? changed(written, context.runId, updateMethod === 'PUT');
    if (change !== undefined) {
      const updated = await send(updateMethod, path, change);
      steps.push(`${updateMethod.toLowerCase()} ${updated.response?.status ?? 'no answer'}`);
      if (!ok(updated)) return broke(`${updateMethod} ${path} answered ${updated.response?.status ?? updated.error}`, updated);
      const reread = await send('GET', path);
      steps.push(`read ${reread.response?.status ?? 'no answer'}`);
      differences = compare(change, reread.response?.json, ignore, flow.transforms ?? {});
      if (!ok(reread) || differences.length > 0) return broke(`after ${updateMethod} the read differs at ${listed(differences.map((difference) => difference.pointer), 3) || 'status'}`, reread, differences);
    }
  }
  if (!methods.has('DELETE') && !flow.item) return { name, steps };
  const deleted = await send('DELETE', path);
  steps.push(`delete ${deleted.response?.status ?? 'no answer'}`);
  if (!ok(deleted)) return broke(`DELETE ${path} answered ${deleted.response?.status ?? deleted.error}`, deleted);
  resource.deleted = true;
  const gone = await send('GET', path);
  steps.push(`read ${gone.response?.status ?? 'no answer'}`);
  if (gone.response?.status !== 404 && gone.response?.status !== 410) return broke(`after DELETE, ${path} answers ${gone.response?.status ?? gone.error} instead of 404`, gone);
  return { name, steps };
}

/**
 * Where `read` differs from `written`: every written field (recursively) must read back equal,
 * after its declared transformation; `ignore` lists server-set top-level fields.
 */
export function compare(written: unknown, read: unknown, ignore: Set<string>, transforms: Record<string, Transform>, pointer = ''): Difference[] {
  if (isRecord(written) && isRecord(read)) {
    return Object.entries(written).flatMap(([key, value]) => {
      if (pointer === '' && ignore.has(key)) return [];
      const expected = key in transforms ? applyTransform(transforms[key]!, value) : value;
      return compare(expected, read[key], ignore, transforms, `${pointer}/${key}`);
    });
  }
  return isDeepStrictEqual(written, read) ? [] : [{ pointer: pointer || '/', written, read: read === undefined ? null : read }];
}

function applyTransform(transform: Transform, value: unknown): unknown {
  if (typeof transform === 'function') return transform(value);
  if (typeof value !== 'string') return value;
  return transform === 'lowercase' ? value.toLowerCase() : transform === 'uppercase' ? value.toUpperCase() : value.trim();
}

/** The written body with its first plain string field changed (all fields for PUT, the one field for PATCH). */
function changed(written: unknown, runId: string, full: boolean): unknown {
  if (!isRecord(written)) return undefined;
  const key = Object.keys(written).find((name) => typeof written[name] === 'string' && !/mail|url|uri|date|time|id$/i.test(name));
  if (!key) return undefined;
  const value = `probe-${runId}-updated`;
  return full ? { ...written, [key]: value } : { [key]: value };
}

function ok(exchange: Exchange): boolean {
  const status = exchange.response?.status ?? 0;
  return status >= 200 && status < 300;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
