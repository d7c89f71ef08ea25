import { describe, expect, it } from 'vitest';
import { check, probe } from '../../test/helpers.ts';
import { compileGlobs } from './glob.ts';
import { planRun, plannedCount } from './plan.ts';

const ok = { status: 'pass' as const, summary: '' };
const probes = [
  probe('orders-db', [check('db.connection.connectivity', ok), check('db.query.crud', ok, { needs: ['db.connection.connectivity'] }), check('db.schema.primary-keys', ok), check('db.schema.fk', ok)]),
  probe('cache', [check('cache.ops.read-write', ok), check('cache.ops.expiration', ok), check('cache.strategy.memory', ok)]),
  probe('api', [check('api.endpoints.reachable', ok), check('api.auth.required', ok), check('api.auth.tokens', ok, { needs: ['api.auth.required'] })]),
];
const keys = (plan: ReturnType<typeof planRun>) => plan.flatMap((entry) => entry.checks.map((c) => `${entry.probe.target.name}/${c.id}`));

describe('planRun selection', () => {
  it('keeps everything without a selection', () => {
    expect(plannedCount(planRun(probes))).toBe(10);
  });

  it('filters by --only and --skip globs, including target/id patterns', () => {
    expect(keys(planRun(probes, { only: ['db.*'] }))).toEqual(['orders-db/db.connection.connectivity', 'orders-db/db.query.crud', 'orders-db/db.schema.primary-keys', 'orders-db/db.schema.fk']);
    expect(keys(planRun(probes, { only: ['*.auth.*,cache.ops.read-write'] }))).toEqual(['cache/cache.ops.read-write', 'api/api.auth.required', 'api/api.auth.tokens']);
    expect(keys(planRun(probes, { skip: ['db.*', 'cache.*', 'api.auth.*'] }))).toEqual(['api/api.endpoints.reachable']);
    expect(keys(planRun(probes, { only: ['orders-db/*schema*'] }))).toEqual(['orders-db/db.schema.primary-keys', 'orders-db/db.schema.fk']);
  });

  it('drops probes left with no checks', () => {
    expect(planRun(probes, { only: ['cache.*'] }).map((entry) => entry.probe.target.name)).toEqual(['cache']);
  });
});

describe('planRun shards', () => {
  const shards = (n: number, input = probes) => Array.from({ length: n }, (_, i) => keys(planRun(input, { shard: { index: i + 1, total: n } })));

  it.each([2, 3, 4, 7, 12])('splits into %i disjoint shards whose union is the whole run', (n) => {
    const parts = shards(n);
    const all = parts.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(keys(planRun(probes))));
  });

  it('balances shards to within one unit', () => {
    const sizes = shards(3).map((part) => part.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
  });

  it('is independent of the order of probes and checks in the config', () => {
    const reversed = [...probes].reverse().map((entry) => ({ ...entry, checks: [...entry.checks].reverse() }));
    const sorted = (parts: string[][]) => parts.map((part) => [...part].sort());
    expect(sorted(shards(3, reversed))).toEqual(sorted(shards(3)));
  });

  it('keeps a check with its prerequisites', () => {
    for (const part of shards(4)) {
      expect(part.includes('orders-db/db.query.crud')).toBe(part.includes('orders-db/db.connection.connectivity'));
      expect(part.includes('api/api.auth.tokens')).toBe(part.includes('api/api.auth.required'));
    }
  });
});

describe('compileGlobs', () => {
  it('matches * across dots, ? as one character, and comma alternatives', () => {
    const matches = compileGlobs(['db.*.c?ud,cache.*']);
    expect(matches('db.query.crud', 't')).toBe(true);
    expect(matches('db.query.cruud', 't')).toBe(false);
    expect(matches('cache.ops.x', 't')).toBe(true);
    expect(matches('api.x', 't')).toBe(false);
  });

  it('treats regex characters literally', () => {
    expect(compileGlobs(['a.(b)'])('a.(b)', 't')).toBe(true);
    expect(compileGlobs(['a.b'])('aXb', 't')).toBe(false);
  });
});
