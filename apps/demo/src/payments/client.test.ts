import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@probe/api/testing';
import { createPaymentClient } from './client.ts';
import { PaymentRejected, PaymentUnavailable } from './errors.ts';

const charge = { orderId: '00000000-0000-4000-8000-000000000001', customerId: 1, amountCents: 2_400 };
const ok = { status: 201, body: { id: 'ch_1', amount: 2_400 } };

describe('payment client', () => {
  let provider: FakeUpstream;
  beforeAll(async () => { provider = await startFakeUpstream(); });
  afterAll(() => provider.close());

  it('retries transient failures with growing, jittered gaps and the same idempotency key', async () => {
    provider.route('POST /v1/charges', [{ status: 503 }, { status: 502 }, ok]);
    provider.reset();
    const client = createPaymentClient({ baseUrl: provider.url, backoffMs: 40 });
    await expect(client.charge(charge)).resolves.toEqual({ id: 'ch_1', status: 'succeeded', amountCents: 2_400 });
    const requests = provider.requestsTo('POST /v1/charges');
    expect(requests.map((request) => request.headers['idempotency-key'])).toEqual([charge.orderId, charge.orderId, charge.orderId]);
    const [first, second] = [requests[1]!.at - requests[0]!.at, requests[2]!.at - requests[1]!.at];
    expect(first).toBeGreaterThanOrEqual(19); // equal jitter: 20–40 ms, then 40–80 ms
    expect(second).toBeGreaterThanOrEqual(39);
  });

  it('does not retry a refusal (4xx), but the defective client does', async () => {
    provider.route('POST /v1/charges', { status: 400, body: { error: 'invalid_amount' } });
    provider.reset();
    await expect(createPaymentClient({ baseUrl: provider.url, backoffMs: 5 }).charge(charge)).rejects.toBeInstanceOf(PaymentRejected);
    expect(provider.requestsTo('POST /v1/charges')).toHaveLength(1);
    provider.reset();
    await expect(createPaymentClient({ baseUrl: provider.url, backoffMs: 5, retriesClientErrors: true }).charge(charge)).rejects.toBeInstanceOf(PaymentRejected);
    expect(provider.requestsTo('POST /v1/charges')).toHaveLength(3);
  });

  it('gives up after a timeout per attempt, and its breaker then keeps calls away from the provider', async () => {
    provider.route('POST /v1/charges', { status: 200, delayMs: 300 });
    provider.reset();
    const client = createPaymentClient({ baseUrl: provider.url, timeoutMs: 50, maxAttempts: 1, breaker: { volumeThreshold: 3, resetTimeoutMs: 10_000 } });
    for (let call = 0; call < 3; call++) await expect(client.charge(charge)).rejects.toThrow(/no answer within 50 ms/);
    const before = provider.requests.length;
    await expect(client.charge(charge)).rejects.toBeInstanceOf(PaymentUnavailable);
    expect(client.breaker.opened).toBe(true);
    expect(provider.requests.length).toBe(before);
    client.breaker.shutdown();
  });
});
