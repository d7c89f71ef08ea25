import { createHash } from 'node:crypto';
import { startFakeUpstream, type FakeUpstream } from '@probe/api/testing';

/** Amounts above this are declined (402), as a sandbox's test cards are. */
export const DECLINE_ABOVE_CENTS = 1_000_000;

/**
 * A stand-in for the payment provider (what its sandbox would be in staging):
 * `POST /v1/charges` answers 201 with a charge whose id derives from the
 * Idempotency-Key (so a retried charge is the same charge), 402 for amounts
 * above {@link DECLINE_ABOVE_CENTS}, 400 without a positive amount.
 */
export async function startPaymentSandbox(options: { port?: number } = {}): Promise<FakeUpstream> {
  const sandbox = await startFakeUpstream({
    ...(options.port === undefined ? {} : { port: options.port }),
    routes: {
      'POST /v1/charges': ({ request }) => {
        const amount = (request.json as { amount?: unknown } | undefined)?.amount;
        if (typeof amount !== 'number' || amount <= 0) return { status: 400, body: { error: 'invalid_amount' } };
        if (amount > DECLINE_ABOVE_CENTS) return { status: 402, body: { error: 'card_declined' } };
        const key = String(request.headers['idempotency-key'] ?? request.id);
        return { status: 201, body: { id: `ch_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`, amount, status: 'succeeded' } };
      },
      'GET /health': { body: { status: 'ok' } },
    },
  });
  // The fake upstream records every request; a long-running sandbox forgets them every minute.
  const forget = setInterval(() => sandbox.reset(), 60_000);
  forget.unref();
  const close = sandbox.close.bind(sandbox);
  return Object.assign(sandbox, { close: async () => { clearInterval(forget); await close(); } });
}
