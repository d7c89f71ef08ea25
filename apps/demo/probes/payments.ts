import { resilience } from '@probe/resilience';
import { createPaymentClient, type PaymentClient, type PaymentClientOptions } from '../src/payments/client.ts';
import type { DemoTargets } from './targets.ts';

/** A charge the verifiers make the client attempt against their fake payment provider. */
const CHARGE = { orderId: '00000000-0000-4000-8000-00000000c0de', customerId: 1, amountCents: 100 };

/**
 * The service's payment client, verified in-process against a fake provider
 * with scripted faults (@probe/resilience): as the service builds it — and with
 * the `retriesClientErrors` defect when the service runs with `--defects`.
 *
 * Two probes, because retries are a property of one charge and the breaker of a
 * client that lives on: `payment-retries` gives every charge a fresh client (no
 * breaker state carries over), `payment-breaker` drives one client per provider.
 */
export function paymentProbes(targets: DemoTargets) {
  const settings: Omit<PaymentClientOptions, 'baseUrl'> = { retriesClientErrors: targets.defects };
  const retries = resilience({
    name: 'payment-retries',
    action: ({ url, signal }) => createPaymentClient({ baseUrl: url, ...settings }).charge(CHARGE, { signal }),
    dependency: { route: 'POST /v1/charges' },
    retry: {
      maxAttempts: 3,
      backoff: { type: 'exponential', delayMs: 100, factor: 2, maxDelayMs: 1_000, jitter: 'equal' },
      honoursRetryAfter: true,
    },
    // Three attempts of at most 1 s each, but the whole charge within 2.5 s.
    timeout: { within: 3_000 },
    actionTimeoutMs: 4_000,
  });
  const clients = new Map<string, PaymentClient>();
  const clientFor = (url: string) => {
    let client = clients.get(url);
    if (!client) clients.set(url, client = createPaymentClient({ baseUrl: url, ...settings }));
    return client;
  };
  const breaker = resilience({
    name: 'payment-breaker',
    action: ({ url, signal }) => clientFor(url).charge(CHARGE, { signal }),
    dependency: { route: 'POST /v1/charges' },
    // Five failed attempts open it: the second charge (3 + 2 attempts); it half-opens after 2 s.
    breaker: { opensAfter: 2, resetTimeoutMs: 2_000 },
  });
  return [retries, breaker];
}
