import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET, startWebhookApi, type WebhookDefects } from '../../test/fixtures/webhook-api.ts';
import { runProbe } from '../../test/fixtures/run.ts';
import type { WebhookOptions } from '../types.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => { await close?.(); close = undefined; });

const WEBHOOKS: WebhookOptions = {
  subscribe: { path: '/webhooks', body: { url: '{{url}}' } },
  unsubscribe: { method: 'DELETE', path: '/webhooks/{id}' },
  trigger: { path: '/events', body: { type: 'note.created', source: 'probe-{{runId}}' } },
  secret: WEBHOOK_SECRET,
  signature: { header: 'X-Signature', prefix: 'sha256=' },
  schema: { type: 'object', required: ['id', 'type', 'createdAt'], properties: { id: { type: 'string', format: 'uuid' }, type: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } } },
  failFirst: 2,
  windowMs: 2_000,
};

async function webhooks(defects: WebhookDefects = {}, overrides: Partial<WebhookOptions> = {}) {
  const api = await startWebhookApi(defects);
  close = api.close;
  const results = await runProbe({ baseUrl: api.url, writes: true, webhooks: { ...WEBHOOKS, ...overrides } }, { only: ['api.webhooks'] });
  return { result: results['api.webhooks']!, api };
}

describe('api.webhooks', () => {
  it('passes: delivered, signed, well-formed, retried after 503s; the subscription is removed', async () => {
    const { result, api } = await webhooks();
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toMatch(/^delivered in \d+ ms; signature valid; payload matches the schema; retried after 2 refusals$/);
    expect((result.evidence.deliveries as { answered: number }[]).map((delivery) => delivery.answered)).toEqual([503, 503, 204]);
    expect(api.subscriptions.size).toBe(0);
    expect(JSON.stringify(result)).not.toContain(WEBHOOK_SECRET);
  });

  it('fails when the webhook is unsigned', async () => {
    const { result } = await webhooks({ unsigned: true }, { failFirst: 0 });
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('delivery 1: unsigned: no x-signature header');
  });

  it('fails when the signature does not match (wrong secret)', async () => {
    const { result } = await webhooks({}, { failFirst: 0, secret: 'some-other-secret' });
    expect(result.summary).toBe('delivery 1: signature in x-signature does not match the HMAC of the body');
  });

  it('fails when a refused delivery is not retried', async () => {
    const { result } = await webhooks({ noRetry: true }, { failFirst: 1, windowMs: 800 });
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('not retried: 1 deliveries in 800 ms after answering 503 to the first 1');
  });

  it('fails when the payload breaks the schema, and when nothing arrives in the window', async () => {
    expect((await webhooks({ wrongPayload: true }, { failFirst: 0 })).result.summary).toBe("delivery 1: payload does not match the schema: / must have required property 'type'");
    await close?.();
    const silent = await webhooks({ silent: true }, { windowMs: 300 });
    expect(silent.result.summary).toBe('no delivery within 300 ms of the trigger');
    expect(silent.api.subscriptions.size).toBe(0);
  });

  it('is skipped without writes', async () => {
    const api = await startWebhookApi();
    close = api.close;
    const results = await runProbe({ baseUrl: api.url, webhooks: WEBHOOKS }, { only: ['api.webhooks'] });
    expect(results['api.webhooks']!.status).toBe('skip');
    expect(api.upstream.requests).toEqual([]);
  });
});
