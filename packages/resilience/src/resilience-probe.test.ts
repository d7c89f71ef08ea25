import { createServer } from 'node:net';
import { run } from '@probe/core';
import { collectEvents, describeConformance } from '@probe/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, goodClient, opossumClient, startService } from '../test/sample-clients.ts';
import { resilience } from './resilience-probe.ts';
import type { ResilienceOptions } from './types.ts';

const fast = { type: 'exponential', delayMs: 20, factor: 2 } as const;

describe('resilience() options', () => {
  it('names each invalid field and runs nothing', () => {
    const probe = resilience({ action: 'nope', retry: { maxAttempts: 0, backoff: { type: 'fibonacci', delayMs: -1 } }, dependency: { listen: 'localhost' } } as unknown as ResilienceOptions);
    expect(probe.checks).toEqual([]);
    expect(probe.issues).toEqual([
      { path: 'action', message: 'expected a function ({ url, signal }) => … or an HTTP request { url, method?, headers?, body? }, got "nope"' },
      { path: 'dependency.listen', message: 'expected host:port, e.g. "127.0.0.1:9999", got "localhost"' },
      { path: 'retry.maxAttempts', message: expect.stringMatching(/>=1|at least 1|too small/i) },
      { path: 'retry.backoff.type', message: expect.stringMatching(/constant|linear|exponential/) },
      { path: 'retry.backoff.delayMs', message: expect.stringMatching(/>0|positive|too small/i) },
    ]);
  });

  it('wants something to verify', () => {
    expect(resilience({ action: () => undefined }).issues).toEqual([{ path: '', message: 'declares nothing to verify: give at least one of retry, breaker, timeout, fallback' }]);
  });

  it('builds only the declared checks, named after an HTTP subject\'s host', () => {
    const probe = resilience({ action: { url: 'http://orders.internal:8080/checkout', headers: { authorization: 'Bearer s3cret' } }, timeout: { within: 500 } });
    expect(probe.target).toEqual({ kind: 'http', name: 'orders.internal:8080', url: 'http://orders.internal:8080/checkout' });
    expect(probe.checks.map((check) => check.id)).toEqual(['resilience.timeout']);
    expect(probe.secrets).toEqual(['Bearer s3cret']);
  });
});

describe('resilience() when the subject is not wired to the dependency', () => {
  it('an action that never calls the dependency is an error naming the url to point it at, not a verdict', async () => {
    const summary = await run([resilience({ action: async () => 'no call', retry: { maxAttempts: 2 } })], { reporters: [collectEvents()] });
    const transient = summary.results.find((result) => result.id === 'resilience.retry.transient')!;
    expect(transient.status).toBe('error');
    expect(transient.error).toEqual({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/^the action never called the dependency at http:\/\/127\.0\.0\.1:\d+ \(route \/\*\); it succeeded — point the subject's dependency at/) });
  });

  it('a dependency.listen port in use fails the setup with PROBE_ERR_CONFIG', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const summary = await run([resilience({ action: () => undefined, dependency: { listen: `127.0.0.1:${port}` }, timeout: { within: 100 } })], { reporters: [collectEvents()] });
      expect(summary.results[0]).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CONFIG', message: expect.stringContaining(`cannot listen on dependency.listen 127.0.0.1:${port}`) } });
    } finally {
      holder.close();
    }
  });
});

const canary = 'canary-7f3a9b';
const dependencyPort = await freePort();
const service = await startService({ dependency: () => `http://127.0.0.1:${dependencyPort}`, call: goodClient(2, fast, 200), fallback: true });
afterAll(() => service.close());

describeConformance({
  name: 'resilience verifiers (a service over HTTP, with a secret header)',
  domain: 'resilience',
  probe: () => resilience({
    action: { url: `${service.url}/orders`, headers: { authorization: `Bearer ${canary}` } },
    dependency: { listen: `127.0.0.1:${dependencyPort}` },
    retry: { maxAttempts: 2, backoff: fast, permanent: [400] },
    timeout: { within: 1_000 },
    fallback: { expect: { headers: { 'x-fallback': 'cache' } } },
  }),
  secrets: [canary],
});

describeConformance({
  name: 'resilience verifiers (opossum breaker)',
  domain: 'resilience',
  probe: () => {
    const { action, breaker } = opossumClient(150);
    return resilience({ name: 'breaker', action, breaker: { opensAfter: 3, resetTimeoutMs: 150, instance: breaker } });
  },
});
