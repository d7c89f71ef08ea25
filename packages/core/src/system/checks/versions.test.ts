import { describe, expect, it } from 'vitest';
import { runChecked } from '../../../test/helpers.ts';
import { system } from '../system-probe.ts';
import { closedPort, pgTarget, redisTarget, servicesMissing, useServices } from '../services.test-helper.ts';
import type { VersionEntry } from './versions.ts';

const entries = (evidence: unknown) => (evidence as { targets: VersionEntry[] }).targets;

describe.skipIf(servicesMissing)('system.dependencies.versions (real PostgreSQL and Redis)', () => {
  const services = useServices();

  it('passes when each server runs a version inside its range, read leniently from what it answers', async () => {
    const probe = system({ targets: [pgTarget(services), redisTarget(services)], versions: { 'orders-db': '>=12 <100', cache: '>=6 || ^5.0' } });
    const { results } = await runChecked([probe], { only: ['system.dependencies.versions'] });
    expect(results[0]).toMatchObject({ status: 'pass', summary: expect.stringMatching(/^2 dependencies in range: orders-db \d+\.\d+\.\d+ ∈ >=12 <100, cache \d+\.\d+\.\d+ ∈ >=6 \|\| \^5\.0$/) });
    const [pgEntry, redisEntry] = entries(results[0]!.evidence);
    expect(pgEntry).toMatchObject({ target: 'orders-db', range: '>=12 <100', satisfied: true, reported: expect.stringMatching(/^PostgreSQL \d+/) });
    expect(redisEntry).toMatchObject({ target: 'cache', satisfied: true, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('fails naming the server outside its range, with what it reported', async () => {
    const probe = system({ targets: [pgTarget(services), redisTarget(services)], versions: { 'orders-db': '^99', cache: '>=6' } });
    const { results } = await runChecked([probe], { only: ['system.dependencies.versions'] });
    expect(results[0]!.status).toBe('fail');
    expect(results[0]!.summary).toMatch(/^1 of 2 dependencies outside their version range: orders-db runs \d+\.\d+\.0, outside \^99$/);
    expect(entries(results[0]!.evidence)[0]).toMatchObject({ target: 'orders-db', range: '^99', satisfied: false });
  });

  it('lists versions of targets without a range, and errors (without opening the breaker) when one cannot be read', async () => {
    const port = await closedPort();
    const broken = { name: 'payments-db', url: `postgres://app:s3cret@127.0.0.1:${port}/pay`, version: async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: `postgres://app:s3cret@127.0.0.1:${port}/pay` });
      try {
        await client.connect();
        return 'unreachable';
      } finally {
        await client.end().catch(() => {});
      }
    } };
    const probe = system({ targets: [pgTarget(services), redisTarget(services), broken], versions: { 'orders-db': '>=12', 'payments-db': '>=12' } });
    const { results } = await runChecked([probe]);
    const versions = results.find((result) => result.id === 'system.dependencies.versions')!;
    expect(versions).toMatchObject({ status: 'error', error: { code: 'SYSTEM_ERR_HOOK', message: expect.stringContaining('version of payments-db: connect ECONNREFUSED') } });
    expect(entries(versions.evidence).map((entry) => [entry.target, entry.satisfied ?? null])).toEqual([['orders-db', true], ['cache', null], ['payments-db', null]]);
    // The other check still ran to its own verdict: the system target's breaker stayed closed.
    expect(results.find((result) => result.id === 'system.dependencies.availability')).toMatchObject({ status: 'fail' });
    expect(JSON.stringify(results)).not.toContain('s3cret');
  });

  it('errors when the answer holds no version, and skips when no range is declared', async () => {
    const odd = { name: 'legacy', url: 'http://127.0.0.1:1', version: () => 'unknown build' };
    const { results } = await runChecked([system({ targets: [odd], versions: { legacy: '>=1' } })], { only: ['system.dependencies.versions'] });
    expect(results[0]).toMatchObject({ status: 'error', summary: 'could not read 1 version: legacy answered "unknown build", which holds no version' });
    const skipped = await runChecked([system({ targets: [pgTarget(services)] })], { only: ['system.dependencies.versions'] });
    expect(skipped.results[0]).toMatchObject({ status: 'skip', reason: expect.stringContaining('no version ranges declared') });
  });
});
