import { run, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startService } from '../../test/sample-clients.ts';
import { resilience } from '../resilience-probe.ts';
import type { ResilienceOptions } from '../types.ts';

async function verdict(options: ResilienceOptions): Promise<Result> {
  const summary = await run([resilience(options)], { reporters: [collectEvents()] });
  expect(summary.results).toHaveLength(1);
  return summary.results[0]!;
}

let service: Awaited<ReturnType<typeof startService>> | undefined;
afterEach(async () => { await service?.close(); service = undefined; });

async function serviceOnFreePort(options: Omit<Parameters<typeof startService>[0], 'dependency'>) {
  const port = await freePort();
  service = await startService({ ...options, dependency: () => `http://127.0.0.1:${port}` });
  return { action: { url: `${service.url}/orders` }, dependency: { listen: `127.0.0.1:${port}` } };
}

describe('resilience.timeout', () => {
  it('a service with a 200 ms timeout on its dependency answers (504) within its 500 ms bound while the dependency hangs', async () => {
    const result = await verdict({ ...(await serviceOnFreePort({ timeoutMs: 200 })), timeout: { within: 500 } });
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^answered \(504 in \d+ ms\) within its 500 ms bound while its dependency never answered$/);
  });

  it('a service that hangs when its dependency is slow fails, with the request to reproduce it', async () => {
    const result = await verdict({ ...(await serviceOnFreePort({})), timeout: { within: 300 } });
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^still no answer after \d+ ms while its dependency never answered \(bound 300 ms\): it waits on its dependency without a timeout$/);
    expect(result.evidence).toMatchObject({ trigger: expect.stringMatching(/^curl -sS -i -X GET 'http:\/\/127\.0\.0\.1:\d+\/orders'$/), arrivals: [{ attempt: 1 }] });
    expect(result.durationMs).toBeLessThan(1_500);
  });

  it('a slow (not hung) dependency: answering only after the bound fails too', async () => {
    const result = await verdict({ ...(await serviceOnFreePort({})), timeout: { within: 200, dependencyDelayMs: 260 } });
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^answered only after \d+ ms \(bound 200 ms\) while its dependency answered after 260 ms$/);
  });
});

describe('resilience.fallback', () => {
  const expect_ = { status: 200, headers: { 'x-fallback': 'cache' }, body: { '/source': 'cache' } };

  it('a service that serves from cache while its dependency is down passes; the proxy is back up afterwards', async () => {
    const result = await verdict({ ...(await serviceOnFreePort({ fallback: true })), fallback: { expect: expect_ } });
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^the fallback answered \(200 in \d+ ms\) while its dependency was down \(connection refused\)$/);
    expect(result.evidence.faults).toEqual([{ name: 'down', fault: 'down', from: expect.any(Number), to: expect.any(Number) }]);
  });

  it('a service with no fallback fails: it passes the failure on (502)', async () => {
    const result = await verdict({ ...(await serviceOnFreePort({})), fallback: { expect: expect_ } });
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('while its dependency was down (connection refused): status 502, expected 200; header x-fallback is missing, expected cache; body /source is missing, expected "cache"');
  });

  it('other ways of being down: resets and 503s', async () => {
    const options = await serviceOnFreePort({ fallback: true });
    expect((await verdict({ ...options, fallback: { fault: 'reset', expect: expect_ } })).status).toBe('pass');
    expect((await verdict({ ...options, fallback: { fault: 503, expect: { satisfies: (outcome) => outcome.status === 200 || `got ${outcome.status}` } } })).status).toBe('pass');
  });
});
