import { run, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { afterEach, describe, expect, it } from 'vitest';
import { leakyHalfOpenClient, opossumClient } from '../../test/sample-clients.ts';
import { resilience } from '../resilience-probe.ts';
import type { ResilienceOptions } from '../types.ts';

async function verdicts(options: ResilienceOptions): Promise<Record<string, Result>> {
  const summary = await run([resilience(options)], { reporters: [collectEvents()] });
  return Object.fromEntries(summary.results.map((result) => [result.id, result]));
}

const shutdowns: (() => void)[] = [];
afterEach(() => { for (const shutdown of shutdowns.splice(0)) shutdown(); });

describe('breaker verifiers', () => {
  it("an opossum breaker opens, lets one trial through half-open, re-opens on its failure, closes on its success; its own events agree", async () => {
    const { action, breaker } = opossumClient(300);
    shutdowns.push(() => breaker.shutdown());
    const results = await verdicts({ action, breaker: { opensAfter: 3, resetTimeoutMs: 300, instance: breaker } });
    expect(Object.fromEntries(Object.entries(results).map(([id, result]) => [id, result.status]))).toEqual({
      'resilience.breaker.opens': 'pass', 'resilience.breaker.half-open': 'pass', 'resilience.breaker.closes': 'pass',
    });
    expect(results['resilience.breaker.opens']!.summary).toBe('opened after 2 failing calls (declared ≤ 3); the next 3 calls did not reach the dependency');
    expect(results['resilience.breaker.half-open']!.summary).toMatch(/^1 of 4 concurrent calls passed as the trial after \d+ ms; its failure re-opened the breaker$/);
    const states = (results['resilience.breaker.closes']!.evidence.breakerStates as { state: string }[]).map((event) => event.state);
    expect(states).toEqual(['half-open', 'closed']);
    expect(results['resilience.breaker.opens']!.evidence.calls).toMatchObject([{ phase: 'opening', reached: 1 }, { reached: 1 }, { reached: 0 }, { reached: 0 }, { reached: 0 }]);
  });

  it('a breaker that never opens (every error filtered out) fails resilience.breaker.opens; the others are skipped', async () => {
    const { action, breaker } = opossumClient(300, { errorFilter: () => true });
    shutdowns.push(() => breaker.shutdown());
    const results = await verdicts({ action, breaker: { opensAfter: 3, resetTimeoutMs: 300 } });
    expect(results['resilience.breaker.opens']).toMatchObject({ status: 'fail', summary: 'never opened: all 9 calls reached the always-failing dependency (declared to open after 3)' });
    expect(results['resilience.breaker.half-open']!.status).toBe('skip');
    expect(results['resilience.breaker.closes']!.status).toBe('skip');
  });

  it('a breaker that opens later than declared fails', async () => {
    const { action, breaker } = opossumClient(300, { volumeThreshold: 4 });
    shutdowns.push(() => breaker.shutdown());
    const results = await verdicts({ action, breaker: { opensAfter: 2, resetTimeoutMs: 300 } });
    expect(results['resilience.breaker.opens']).toMatchObject({ status: 'fail', summary: 'opened only after 4 failing calls; declared to open after 2' });
  });

  it('a breaker that lets every call through after the reset timeout fails resilience.breaker.half-open', async () => {
    const results = await verdicts({ action: leakyHalfOpenClient(2, 250), breaker: { opensAfter: 2, resetTimeoutMs: 250 } });
    expect(results['resilience.breaker.opens']!.status).toBe('pass');
    expect(results['resilience.breaker.half-open']).toMatchObject({ status: 'fail', summary: 'let 4 of 4 concurrent calls through while half-open; 1 trial declared' });
  });

  it('a cockatiel breaker (consecutive failures) is verified the same way, its state changes in the evidence', async () => {
    const policy = circuitBreaker(handleAll, { halfOpenAfter: 250, breaker: new ConsecutiveBreaker(2) });
    const action: ResilienceOptions['action'] = ({ url, signal }) => policy.execute(async () => {
      const response = await fetch(`${url}/charges`, { signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    });
    const results = await verdicts({ action, breaker: { opensAfter: 2, resetTimeoutMs: 250, instance: policy } });
    expect(Object.values(results).map((result) => result.status)).toEqual(['pass', 'pass', 'pass']);
    expect((results['resilience.breaker.opens']!.evidence.breakerStates as { state: string }[]).map((event) => event.state)).toEqual(['open']);
  });
});
