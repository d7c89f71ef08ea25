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
import { capped, listed, plural, skipped } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

interface Attempt {
  operation: string;
  label: string;
  exchange: Exchange;
}

/**
 * `api.dataflow.validation`: valid data is accepted — the documented example, a body generated
 * from the schema, and values at the edges the schema allows (min/max length, min/max value,
 * every enum value) — on every create (POST to a collection). What each accepted request
 * created is deleted. (Values just past the edges are `api.endpoints.error-handling`'s.)
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
      const attempts = (await mapLimit(cases, options.limits.concurrency, budget, context.signal, (item) => attempt(context, item.operation, item.label, item.body)))
        .filter((item): item is Attempt => item !== undefined);
      const rejected = attempts.filter((item) => (item.exchange.response?.status ?? 500) >= 400 && item.exchange.response?.status !== 429);
      const evidence = {
        rejected: capped(rejected.map(({ exchange, ...item }) => ({ ...item, ...describeExchange(exchange, context.redact) }))),
        accepted: attempts.length - rejected.length,
        ...(attempts.length < cases.length ? { notSent: `${cases.length - attempts.length} cases: time budget spent` } : {}),
      };
      if (rejected.length > 0) {
        return { status: 'fail', summary: `${rejected.length} of ${attempts.length} valid bodies were refused: ${listed(rejected.map((item) => `${item.operation} with ${item.label} → ${item.exchange.response?.status ?? 'no answer'}`), 2)}`, evidence };
      }
      return { status: attempts.length < cases.length ? 'warn' : 'pass', summary: `${plural(attempts.length, 'valid body')} accepted by ${plural(creates.length, 'create operation')}`, evidence };
    },
  };
}

function casesOf(operation: Operation, runId: string, max: number): { operation: Operation; label: string; body: unknown }[] {
  const media = jsonBodyMedia(operation)!;
  const schema = media.schema()!;
  const base = positiveCase(operation, { runId, parameters: {} }).send.json;
  const out = [{ operation, label: media.example !== undefined ? 'the documented example' : 'a body from the schema examples', body: base }];
  const generated = sample(schema, { runId, useExamples: false });
  if (JSON.stringify(generated) !== JSON.stringify(base)) out.push({ operation, label: 'a body generated from the schema', body: generated });
  for (const mutation of boundaryBodies(schema, base, Math.max(0, max - out.length))) out.push({ operation, label: mutation.label, body: mutation.value });
  return out;
}

async function attempt(context: ApiContext, operation: Operation, label: string, body: unknown): Promise<Attempt> {
  const exchange = await sendAs(context, identityFor(context.resources, operation), { method: 'POST', path: operation.path, json: body, headers: { accept: 'application/json' } });
  if ((exchange.response?.status ?? 0) < 300) registerCreated(context, operation, exchange, 'validation');
  return { operation: operation.key, label, exchange };
}
