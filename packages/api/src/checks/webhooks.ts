import { createHmac, timingSafeEqual } from 'node:crypto';
import { isProbeError, messageOf, type Check } from '@probe/core';
import type { Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { authorize } from '../auth/identity.ts';
import { createdId } from '../cases/created.ts';
import { sendAs, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { resolveRef } from '../spec/documents.ts';
import type { JsonSchema } from '../spec/json-schema.ts';
import { startFakeUpstream, type RecordedRequest, type Step } from '../testing/fake-upstream.ts';
import type { RequestTemplate, WebhookOptions } from '../types.ts';
import { listed, skipped } from './report.ts';

interface Finding {
  problem: string;
  delivery?: RecordedRequest;
}

/**
 * `api.webhooks`: a receiver the probe starts (a real HTTP server), an optional subscription,
 * a trigger; then, within a wait window: a delivery arrives, its payload matches the schema,
 * its HMAC signature is valid, and — when the receiver refuses the first N deliveries with
 * 503 — it is retried. The subscription is removed afterwards.
 */
export function webhooksCheck(options: ResolvedOptions): Check<ApiResources> {
  const settings = options.webhooks;
  const windowMs = settings?.windowMs ?? 5_000;
  return {
    id: 'api.webhooks',
    title: 'Webhooks are delivered, signed, well-formed and retried',
    checklist: ['integration.external.third-party-services.test-webhooks'],
    writes: true,
    timeoutMs: windowMs + 3 * options.limits.requestTimeoutMs + 1_000,
    async run(context) {
      if (!settings) return skipped('no `webhooks` configured');
      if (!options.writes) return skipped('writes are not allowed (set `writes: true`): the trigger and the subscription write');
      const failFirst = settings.failFirst ?? 0;
      const script: Step[] = [...Array.from({ length: failFirst }, () => ({ status: 503, body: 'probe: refusing on purpose to test retries' })), { status: 204 }];
      const receiver = await startFakeUpstream({ host: settings.host ?? '127.0.0.1', port: settings.port ?? 0, routes: { [`POST /probe-${context.runId}`]: script } });
      try {
        const url = settings.publicUrl ?? `${receiver.url}/probe-${context.runId}`;
        const fill = (template: RequestTemplate, id?: string) => fillTemplate(template, { url, runId: context.runId, ...(id ? { id } : {}) });
        let subscription: string | undefined;
        let unsubscribed = false;
        const unsubscribe = async (signal: AbortSignal) => {
          if (unsubscribed || !settings.unsubscribe || !subscription) return;
          unsubscribed = true;
          const request = fill(settings.unsubscribe, subscription);
          const identity = context.resources.identities.get('default');
          await context.resources.client.send(identity ? authorize(request, await identity.credentials(signal)) : request, signal);
        };
        if (settings.subscribe) {
          const subscribed = await sendAs(context, context.resources.identities.get('default'), fill(settings.subscribe));
          if ((subscribed.response?.status ?? 500) >= 300) return { status: 'error', summary: `subscribing the receiver failed: ${subscribed.response?.status ?? subscribed.error}`, error: { code: 'PROBE_ERR_SETUP', message: `subscribe answered ${subscribed.response?.status ?? subscribed.error}` }, evidence: describeExchange(subscribed, context.redact) };
          subscription = createdId(subscribed, 'id');
          context.resources.cleanups.push(unsubscribe);
        }
        const triggeredAt = Date.now();
        let trigger: Exchange | undefined;
        try {
          if (typeof settings.trigger === 'function') await settings.trigger({ url, runId: context.runId });
          else trigger = await sendAs(context, context.resources.identities.get('default'), fill(settings.trigger));
        } catch (error) {
          if (isProbeError(error) || context.signal.aborted) throw error;
          return { status: 'error', summary: `the webhook trigger threw: ${messageOf(error)}`, error: { code: 'PROBE_ERR_CHECK', message: `the webhook trigger threw: ${messageOf(error)}` } };
        }
        if (trigger && (trigger.response?.status ?? 500) >= 300) {
          return { status: 'error', summary: `the trigger answered ${trigger.response?.status ?? trigger.error}`, error: { code: 'PROBE_ERR_SETUP', message: `trigger answered ${trigger.response?.status ?? trigger.error}` }, evidence: describeExchange(trigger, context.redact) };
        }
        const deliveries = await receiver.waitFor(undefined, { count: failFirst + 1, timeoutMs: windowMs, signal: context.signal });
        await unsubscribe(context.signal);
        const findings = judgeDeliveries(deliveries, settings, failFirst, windowMs, schemaOf(context, settings));
        const first = deliveries[0];
        if (first) context.metric('api.webhooks.delivery_ms', first.at - triggeredAt, 'ms');
        if (deliveries.length > 1) context.metric('api.webhooks.retry_after_ms', deliveries[1]!.at - deliveries[0]!.at, 'ms');
        const evidence = {
          receiver: url, ...(trigger ? { trigger: describeExchange(trigger, context.redact) } : {}),
          deliveries: deliveries.map((delivery) => ({
            attempt: delivery.attempt, afterMs: delivery.at - triggeredAt, answered: delivery.attempt <= failFirst ? 503 : 204,
            signature: settings.secret ? delivery.headers[signatureHeader(settings)] ?? null : undefined, body: context.redact(delivery.body.slice(0, 500)),
          })),
          findings: findings.map((finding) => ({ problem: finding.problem, ...(finding.delivery ? { attempt: finding.delivery.attempt } : {}) })),
        };
        if (findings.length > 0) return { status: 'fail', summary: listed(findings.map((finding) => finding.problem), 2), evidence };
        const parts = [`delivered in ${first!.at - triggeredAt} ms`, settings.secret ? 'signature valid' : 'unsigned (no `secret` set)', settings.schema ? 'payload matches the schema' : undefined, failFirst ? `retried after ${failFirst} refusals` : undefined].filter(Boolean);
        return { status: 'pass', summary: parts.join('; '), evidence };
      } finally {
        await receiver.close();
      }
    },
  };
}

function judgeDeliveries(deliveries: RecordedRequest[], settings: WebhookOptions, failFirst: number, windowMs: number, schema: ((value: unknown) => string | undefined) | undefined): Finding[] {
  if (deliveries.length === 0) return [{ problem: `no delivery within ${windowMs} ms of the trigger` }];
  const findings: Finding[] = [];
  if (deliveries.length < failFirst + 1) findings.push({ problem: `not retried: ${deliveries.length} deliveries in ${windowMs} ms after answering 503 to the first ${failFirst}` });
  for (const delivery of deliveries) {
    if (settings.secret) {
      const problem = signatureProblem(delivery, settings);
      if (problem) findings.push({ problem: `delivery ${delivery.attempt}: ${problem}`, delivery });
    }
    const mismatch = schema?.(delivery.json ?? delivery.body);
    if (mismatch) findings.push({ problem: `delivery ${delivery.attempt}: payload does not match the schema: ${mismatch}`, delivery });
  }
  return findings;
}

function signatureHeader(settings: WebhookOptions): string {
  return (settings.signature?.header ?? 'x-signature').toLowerCase();
}

/** Why a delivery's HMAC signature is wrong, or undefined when it is valid. */
export function signatureProblem(delivery: RecordedRequest, settings: WebhookOptions): string | undefined {
  const header = signatureHeader(settings);
  const sent = [delivery.headers[header]].flat()[0];
  if (!sent) return `unsigned: no ${header} header`;
  const prefix = settings.signature?.prefix ?? '';
  const timestampHeader = settings.signature?.timestampHeader?.toLowerCase();
  const timestamp = timestampHeader ? [delivery.headers[timestampHeader]].flat()[0] : undefined;
  if (timestampHeader && !timestamp) return `no ${timestampHeader} header to check the signature with`;
  const hmac = createHmac(settings.signature?.algorithm ?? 'sha256', settings.secret!);
  if (timestamp) hmac.update(`${timestamp}.`);
  const expected = Buffer.from(`${prefix}${hmac.update(delivery.bytes).digest(settings.signature?.encoding ?? 'hex')}`);
  const actual = Buffer.from(sent);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return `signature in ${header} does not match the HMAC of the body`;
  return undefined;
}

function schemaOf(context: ApiContext, settings: WebhookOptions): ((value: unknown) => string | undefined) | undefined {
  if (!settings.schema) return undefined;
  let schema: JsonSchema;
  if (typeof settings.schema === 'string') {
    const spec = context.resources.spec;
    if (!spec) return () => `schema ${settings.schema} points into the spec, but no \`openapi\` is set`;
    schema = spec.schemaAt(resolveRef(spec.documents, settings.schema as string, spec.documents.root), 'response');
  } else {
    schema = settings.schema as JsonSchema;
  }
  return (value) => {
    const problems = context.resources.validator.validate(schema, value, 3);
    return problems.length > 0 ? problems.map((problem) => `${problem.pointer || '/'} ${problem.message}`).join('; ') : undefined;
  };
}

/** Replace `{{url}}`, `{{runId}}` in strings and `{id}` in the path. */
function fillTemplate(template: RequestTemplate, values: { url: string; runId: string; id?: string }) {
  const fill = (text: string) => text.replaceAll('{{url}}', values.url).replaceAll('{{runId}}', values.runId);
  const deep = (value: unknown): unknown => typeof value === 'string' ? fill(value)
    : Array.isArray(value) ? value.map(deep)
    : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, deep(inner)])) : value;
  return {
    method: template.method ?? 'POST',
    path: fill(template.path).replace(/\{id\}/g, encodeURIComponent(values.id ?? '')),
    ...(template.body !== undefined ? { json: deep(template.body) } : {}),
    ...(template.headers ? { headers: deep(template.headers) as Record<string, string> } : {}),
  };
}
