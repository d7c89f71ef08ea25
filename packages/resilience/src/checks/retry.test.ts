import { run, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedDelayClient, freePort, goodClient, noBackoffClient, noRetryClient, retriesEverythingClient, startService } from '../../test/sample-clients.ts';
import { resilience } from '../resilience-probe.ts';
import type { ResilienceOptions } from '../types.ts';

const exponential = { type: 'exponential', delayMs: 25, factor: 2 } as const;

async function verdicts(options: ResilienceOptions): Promise<Record<string, Result>> {
  const summary = await run([resilience(options)], { reporters: [collectEvents()] });
  return Object.fromEntries(summary.results.map((result) => [result.id, result]));
}

describe('retry verifiers against an in-process client', () => {
  it('a right client passes all four: transient retried, max attempts kept, permanent not retried, exponential gaps', async () => {
    const results = await verdicts({ action: goodClient(3, exponential), retry: { maxAttempts: 3, backoff: exponential } });
    expect(Object.fromEntries(Object.entries(results).map(([id, result]) => [id, result.status]))).toEqual({
      'resilience.retry.transient': 'pass', 'resilience.retry.max-attempts': 'pass', 'resilience.retry.permanent': 'pass', 'resilience.retry.backoff': 'pass',
    });
    expect(results['resilience.retry.transient']!.summary).toBe('retried every transient failure (503, connection reset): 2 failures, then success on attempt 3');
    expect(results['resilience.retry.max-attempts']!.evidence).toMatchObject({ attempts: 3, declaredMaxAttempts: 3 });
    expect(results['resilience.retry.backoff']!.summary).toMatch(/^gaps \d+, \d+ ms fit exponential 25 ms × 2, no jitter$/);
  });

  it('a client that retries 400s fails resilience.retry.permanent, with the attempts as evidence', async () => {
    const results = await verdicts({ action: retriesEverythingClient(3, 10), retry: { maxAttempts: 3 } });
    const permanent = results['resilience.retry.permanent']!;
    expect(permanent.status).toBe('fail');
    expect(permanent.summary).toBe('retried permanent errors: 400 → 3 attempts, 404 → 3 attempts (a permanent error fails the same way every time)');
    expect(permanent.evidence.scenarios).toMatchObject([{ status: 400, attempts: 3 }, { status: 404, attempts: 3 }]);
  });

  it('a client with no backoff fails resilience.retry.backoff (gaps far below the declared delays)', async () => {
    const results = await verdicts({ action: noBackoffClient(3), retry: { maxAttempts: 3, backoff: { type: 'exponential', delayMs: 100 } } });
    expect(results['resilience.retry.transient']!.status).toBe('pass');
    expect(results['resilience.retry.backoff']!.status).toBe('fail');
    expect(results['resilience.retry.backoff']!.summary).toMatch(/^gap before attempt 2 was \d+ ms, outside 85–\d+ ms \(no backoff\?\)/);
  });

  it('a client that exceeds its declared attempts fails resilience.retry.max-attempts', async () => {
    const results = await verdicts({ action: retriesEverythingClient(5, 5), retry: { maxAttempts: 3, permanent: [404] } });
    expect(results['resilience.retry.max-attempts']!.status).toBe('fail');
    expect(results['resilience.retry.max-attempts']!.summary).toBe('made 5 attempts against an always-failing dependency; at most 3 declared');
  });

  it('a client that never retries fails resilience.retry.transient, and max-attempts warns that it made fewer', async () => {
    const results = await verdicts({ action: noRetryClient(), retry: { maxAttempts: 3 } });
    expect(results['resilience.retry.transient']!.status).toBe('fail');
    expect(results['resilience.retry.transient']!.summary).toBe('503 was not retried (1 attempt); connection reset was not retried (1 attempt)');
    expect(results['resilience.retry.max-attempts']!.status).toBe('warn');
  });

  const jittered = { type: 'constant', delayMs: 100, jitter: 'full' } as const;
  it('declared full jitter, drawn by the right client: passes', async () => {
    const good = await verdicts({ action: goodClient(3, jittered), retry: { maxAttempts: 3, backoff: jittered, transient: [503], permanent: [400] } });
    expect(good['resilience.retry.backoff']!.status).toBe('pass');
  });

  it('declared jitter that a fixed-delay client does not have: fails', async () => {
    const fixed = await verdicts({ action: fixedDelayClient(3, 100), retry: { maxAttempts: 3, backoff: jittered, transient: [503], permanent: [400] } });
    expect(fixed['resilience.retry.backoff']!.status).toBe('fail');
    expect(fixed['resilience.retry.backoff']!.summary).toMatch(/^full jitter is declared but no gap came earlier than its nominal delay/);
  });

  it('Retry-After honoured by the right client: passes', async () => {
    const good = await verdicts({ action: goodClient(2, { type: 'constant', delayMs: 50 }), retry: { maxAttempts: 2, honoursRetryAfter: true, transient: [503], permanent: [400] } });
    expect(good['resilience.retry.backoff']!.status).toBe('pass');
    expect(good['resilience.retry.backoff']!.summary).toMatch(/^waited \d{4} ms for Retry-After: 1$/);
  });

  it('Retry-After ignored by a fixed-delay client: fails', async () => {
    const ignores = await verdicts({ action: fixedDelayClient(2, 50), retry: { maxAttempts: 2, honoursRetryAfter: true, transient: [503], permanent: [400] } });
    expect(ignores['resilience.retry.backoff']!.status).toBe('fail');
    expect(ignores['resilience.retry.backoff']!.summary).toMatch(/^retried \d+ ms after 503 with Retry-After: 1 \(expected ≥ 1000 ms\)$/);
  });

  it('a timeout is a transient fault for a client with an attempt timeout', async () => {
    const results = await verdicts({ action: goodClient(3, exponential, 150), retry: { maxAttempts: 3, transient: ['timeout', 'close'], permanent: [422] } });
    expect(results['resilience.retry.transient']!.status).toBe('pass');
  });
});

describe('retry verifiers against a system under test over HTTP', () => {
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  afterEach(async () => { await service?.close(); });

  it('judges the retries a running service makes to its dependency, from the arrivals there', async () => {
    const port = await freePort();
    service = await startService({ dependency: () => `http://127.0.0.1:${port}`, call: goodClient(3, exponential) });
    const results = await verdicts({ action: { url: `${service.url}/checkout` }, dependency: { listen: `127.0.0.1:${port}` }, retry: { maxAttempts: 3, backoff: exponential } });
    expect(Object.values(results).map((result) => result.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(results['resilience.retry.transient']!.evidence.trigger).toBe(`curl -sS -i -X GET '${service.url}/checkout'`);
  });
});
