import { describe, expect, it } from 'vitest';
import { runChecked } from '../../../test/helpers.ts';
import { system } from '../system-probe.ts';
import { PG_URL, REDIS_URL, closedPort, pgTarget, redisTarget, servicesMissing, useServices } from '../services.test-helper.ts';
import type { AvailabilityEntry } from './availability.ts';

const entries = (evidence: unknown) => (evidence as { targets: AvailabilityEntry[] }).targets;
const only = { only: ['system.dependencies.availability'] };

describe.skipIf(servicesMissing)('system.dependencies.availability (real PostgreSQL and Redis)', () => {
  const services = useServices();

  it('passes when every host resolves and answers: TCP connect without a ping hook, the hook with one', async () => {
    const local = { name: 'orders-db-by-name', url: PG_URL!.replace('127.0.0.1', 'localhost') };
    const probe = system({ targets: [{ ...pgTarget(services), version: undefined }, redisTarget(services), local] });
    const { results } = await runChecked([probe], only);
    expect(results[0]).toMatchObject({ status: 'pass', summary: expect.stringMatching(/^all 3 dependencies resolve and answer \(slowest: .+ ms\)$/) });
    const [pg, redis, byName] = entries(results[0]!.evidence);
    expect(pg).toMatchObject({ target: 'orders-db', host: '127.0.0.1', port: 5432, resolved: ['127.0.0.1'], via: 'tcp', reachable: true });
    expect(redis).toMatchObject({ target: 'cache', port: 6379, via: 'ping', reachable: true });
    expect(byName!.resolved!.length).toBeGreaterThan(0);
    expect(results[0]!.metrics.map((metric) => metric.name)).toEqual(['availability.orders-db_ms', 'availability.cache_ms', 'availability.orders-db-by-name_ms']);
  });

  it('fails naming a dependency on a closed port and a host that does not resolve, with a one-paste check', async () => {
    const port = await closedPort();
    const probe = system({
      targets: [redisTarget(services), { name: 'payments', url: `http://127.0.0.1:${port}` }, { name: 'search', url: 'https://search.probe-test.invalid' }],
    });
    const { results } = await runChecked([probe], only);
    expect(results[0]!.status).toBe('fail');
    expect(results[0]!.summary).toMatch(new RegExp(`^2 of 3 dependencies unavailable — search: search\\.probe-test\\.invalid did not resolve \\(DNS lookup of search\\.probe-test\\.invalid: .+\\); payments: connect to payments \\(127\\.0\\.0\\.1:${port}\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
    expect(results[0]!.evidence.repro).toBe(`getent hosts search.probe-test.invalid\nnc -vz -w 2 127.0.0.1 ${port}`);
    expect(entries(results[0]!.evidence)[2]).toMatchObject({ target: 'search', port: 443, reachable: false });
    expect(entries(results[0]!.evidence)[2]!.resolved).toBeUndefined();
  });

  it('bounds a dependency that never answers, and warns when one answers slowly', async () => {
    const hanging = { name: 'stuck', url: REDIS_URL!, ping: () => new Promise(() => {}) };
    const slow = { name: 'slow', url: REDIS_URL!, ping: () => new Promise((resolve) => setTimeout(resolve, 30)) };
    const started = performance.now();
    const { results } = await runChecked([system({ targets: [hanging, slow], hookTimeoutMs: 200 })], only);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(results[0]).toMatchObject({ status: 'fail', summary: '1 of 2 dependencies unavailable — stuck: ping of stuck did not finish within 200 ms — raise its timeoutMs, or check why the target is slow' });
    const warned = await runChecked([system({ name: 'sys', targets: [slow], availability: { warnMs: 10 } })], only);
    expect(warned.results[0]).toMatchObject({ status: 'warn', summary: expect.stringMatching(/^the 1 dependency answers, but slowly: slow \d+(\.\d+)? ms > 10 ms$/) });
  });
});
