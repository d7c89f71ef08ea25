import type { Check } from '@probe/core';
import type { Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { jsonBodyMedia, positiveCase } from '../cases/build.ts';
import { budgetOf, mapLimit } from '../cases/limit.ts';
import { identityFor, registerCreated, sendAs, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { boundaryBodies } from '../spec/mutations.ts';
import type { Operation } from '../spec/operations.ts';
import { sample } from '../spec/samples.ts';
import { uniqueStrings } from '../cases/unique-strings.ts';
import { capped, listed, plural, skipped } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

interface Attempt {
  operation: string;
  label: string;
  exchange: Exchange;
}

interface Case {
  operation: Operation;
  label: string;
  body: unknown;
}

/**
 * `api.dataflow.validation`: valid data is accepted — the documented example, a body generated
 * from the schema, and values at the edges the schema allows (min/max length, min/max value,
 * every enum value) — on every create (POST to a collection). What each accepted request
 * created is deleted. (Values just past the edges are `api.endpoints.error-handling`'s.)
 * The variants share the example's values, so a unique field (a SKU, an email) would make all
 * but the first a duplicate: a body answered 409 Conflict is sent again with its free-text
 * strings made unique ({@link uniqueStrings}), and a 409 after that is not judged (warn).
 */
export function validationCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.dataflow.validation',
    title: 'Valid data, including boundary values, is accepted',
    checklist: ['integration.api.data-flow.test-validation', 'integration.api.data-flow.verify-data-formats'],
    writes: true,
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      if (!options.writes) return skipped('writes are not allowed (set `writes: true`)');
      const creates = context.resources.operations.filter((operation) => operation.method === 'POST' && !operation.path.includes('{') && !context.resources.isAuthFlow(operation.path) && jsonBodyMedia(operation)?.schema());
      if (creates.length === 0) return skipped('no create operation (POST to a collection) with a JSON body schema');
      const cases = creates.flatMap((operation) => casesOf(operation, context.runId, options.limits.maxCasesPerOperation));
      const budget = budgetOf(options.limits.budgetMs, context.deadline);
      const attempts = (await mapLimit(cases, options.limits.concurrency, budget, context.signal, (item, index) => attempt(context, item, index)))
        .filter((item): item is Attempt => item !== undefined);
      const statusOf = (item: Attempt) => item.exchange.response?.status ?? 500;
      const conflicts = attempts.filter((item) => statusOf(item) === 409);
      const rejected = attempts.filter((item) => statusOf(item) >= 400 && statusOf(item) !== 429 && statusOf(item) !== 409);
      const described = (items: Attempt[]) => capped(items.map(({ exchange, ...item }) => ({ ...item, ...describeExchange(exchange, context.redact) })));
      const evidence = {
        rejected: described(rejected),
        ...(conflicts.length > 0 ? { conflicts: described(conflicts) } : {}),
        accepted: attempts.length - rejected.length - conflicts.length,
        ...(attempts.length < cases.length ? { notSent: `${cases.length - attempts.length} cases: time budget spent` } : {}),
      };
      if (rejected.length > 0) {
        return { status: 'fail', summary: `${rejected.length} of ${attempts.length} valid bodies were refused: ${listed(rejected.map((item) => `${item.operation} with ${item.label} → ${item.exchange.response?.status ?? 'no answer'}`), 2)}`, evidence };
      }
      if (conflicts.length > 0) {
        return {
          status: 'warn',
          summary: `${conflicts.length} of ${attempts.length} valid bodies met 409 Conflict even with unique strings, so they were not judged: ${listed(conflicts.map((item) => `${item.operation} with ${item.label}`), 2)}`,
          evidence,
        };
      }
      return { status: attempts.length < cases.length ? 'warn' : 'pass', summary: `${plural(attempts.length, 'valid body')} accepted by ${plural(creates.length, 'create operation')}`, evidence };
    },
  };
}

function casesOf(operation: Operation, runId: string, max: number): Case[] {
  const media = jsonBodyMedia(operation)!;
  const schema = media.schema()!;
  const base = positiveCase(operation, { runId, parameters: {} }).send.json;
  const out = [{ operation, label: media.example !== undefined ? 'the documented example' : 'a body from the schema examples', body: base }];
  const generated = sample(schema, { runId, useExamples: false });
  if (JSON.stringify(generated) !== JSON.stringify(base)) out.push({ operation, label: 'a body generated from the schema', body: generated });
  for (const mutation of boundaryBodies(schema, base, Math.max(0, max - out.length))) out.push({ operation, label: mutation.label, body: mutation.value });
  return out;
}

async function attempt(context: ApiContext, { operation, label, body }: Case, index: number): Promise<Attempt> {
  const send = (json: unknown) => sendAs(context, identityFor(context.resources, operation), { method: 'POST', path: operation.path, json, headers: { accept: 'application/json' } });
  let exchange = await send(body);
  let sent = label;
  if (exchange.response?.status === 409) {
    const unique = uniqueStrings(body, jsonBodyMedia(operation)!.schema()!, uniqueTag(context.runId, index));
    if (unique !== body) {
      exchange = await send(unique);
      sent = `${label}, its strings made unique after a 409`;
    }
  }
  if ((exchange.response?.status ?? 0) < 300) registerCreated(context, operation, exchange, 'validation');
  return { operation: operation.key, label: sent, exchange };
}

/** Four characters unique to this case of this run: its index in base 36, then the run id's. */
function uniqueTag(runId: string, index: number): string {
  return `${index.toString(36)}${runId.replace(/[^a-z0-9]/gi, '')}`.slice(0, 4).padEnd(4, 'x');
}
