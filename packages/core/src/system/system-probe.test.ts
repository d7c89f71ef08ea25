import { describe, expect, it } from 'vitest';
import { runChecked } from '../../test/helpers.ts';
import { isKnownItem } from '../checklist/index.ts';
import { defineFlow } from '../flow/define-flow.ts';
import { configIssues } from '../config/validate.ts';
import { system } from './system-probe.ts';
import type { SystemOptions } from './types.ts';

const hooks = { keys: () => [], read: () => new Map() };
const full: SystemOptions = {
  name: 'shop',
  targets: [{ name: 'orders-db', url: 'postgres://app:hunter2@127.0.0.1:1/app', version: () => '15.4' }],
  versions: { 'orders-db': '>=14' },
  pipelines: [{ name: 'orders-to-warehouse', source: () => [], sink: () => [], key: 'id' }],
  drift: { stores: [{ name: 'db', ...hooks }, { name: 'cache', subset: true, ...hooks }] },
  isolation: [{ target: 'orders-db', fingerprint: () => ({ rows: 1 }) }],
  checks: [defineFlow({ name: 'order-placed', steps: [] })],
};

describe('system()', () => {
  it('is a probe of target kind system whose checks run dependencies first, flows next, data checks, and isolation last', () => {
    const probe = system(full);
    expect(probe.target).toEqual({ kind: 'system', name: 'shop' });
    expect(probe.checks.map((check) => [check.id, check.parallel ?? false])).toEqual([
      ['system.dependencies.availability', true],
      ['system.dependencies.versions', true],
      ['system.flow.order-placed', false],
      ['data.pipeline.orders-to-warehouse', true],
      ['data.sync.drift', true],
      ['system.isolation', false],
    ]);
    expect(probe.checks.flatMap((check) => check.checklist ?? []).every(isKnownItem)).toBe(true);
    expect(probe.checks.every((check) => check.writes !== true || check.id.startsWith('system.flow.'))).toBe(true);
    expect(probe.secrets).toEqual(['hunter2']);
    expect(probe.setup).toBeTypeOf('function');
    expect(configIssues({ probes: [probe] })).toEqual([]);
  });

  it('has no setup without isolation, and only the dependency checks by default', () => {
    const probe = system({ targets: [{ name: 'api', url: 'http://127.0.0.1:1' }] });
    expect(probe.target.name).toBe('system');
    expect(probe.checks.map((check) => check.id)).toEqual(['system.dependencies.availability', 'system.dependencies.versions']);
    expect(probe.setup).toBeUndefined();
  });

  it('redacts the targets\' passwords from every result', async () => {
    const { results } = await runChecked([system({ ...full, checks: [], isolation: [], drift: undefined, pipelines: [] })], { timeoutMs: 1_000 });
    expect(results.map((result) => [result.id, result.status]).sort()).toEqual([['system.dependencies.availability', 'fail'], ['system.dependencies.versions', 'pass']]);
    expect(JSON.stringify(results)).not.toContain('hunter2');
  });

  it.each<[string, unknown, string[]]>([
    ['no options', undefined, ['(root): is required (expected object)']],
    ['no targets', { targets: [] }, ['targets: expected at least one target, got an array of 0']],
    ['a bad URL and an unknown scheme without a port', { targets: [{ name: 'a', url: 'db:5432' }, { name: 'b', url: 'foo://host' }] }, [
      'targets[0].url: expected a URL with a host, got "db:5432"',
      'targets[1].url: foo: URLs have no default port here; write one (foo://host:PORT)',
    ]],
    ['a URL that is no URL', { targets: [{ name: 'a', url: 'not a url' }] }, ['targets[0].url: expected a URL like postgres://host:5432/db, got "not a url"']],
    ['duplicate targets', { targets: [{ name: 'a', url: 'http://h' }, { name: 'a', url: 'http://h' }] }, ['targets[1].name: "a" names another target too; give each a unique name']],
    ['ranges for unknown or hook-less targets, and a bad range', {
      targets: [{ name: 'db', url: 'postgres://h', version: () => '1' }, { name: 'api', url: 'http://h' }],
      versions: { db: '>= banana', api: '^1', cache: '^7' },
    }, [
      'versions.db: expected a version like 1.2.3, 1.2, 1.x or *, got "banana" in ">= banana"',
      'versions.api: target "api" has no version hook to read its version from; add version: async () => …',
      'versions.cache: no target is named "cache"; targets: db, api',
    ]],
    ['a hook that is not a function', { targets: [{ name: 'db', url: 'postgres://h', version: '15' }] }, ['targets[0].version: expected a function ({ signal }) => version text, got string']],
    ['a bad pipeline name and duplicate pipelines', {
      targets: [{ name: 'db', url: 'postgres://h' }],
      pipelines: [{ name: 'Orders Pipeline', source: () => [], sink: () => [], key: 'id' }],
    }, ['pipelines[0].name: expected a kebab-case name like "orders-to-warehouse", got "Orders Pipeline"']],
    ['duplicate pipelines', {
      targets: [{ name: 'db', url: 'postgres://h' }],
      pipelines: [{ name: 'p', source: () => [], sink: () => [], key: 'id' }, { name: 'p', source: () => [], sink: () => [], key: 'id' }],
    }, ['pipelines[1].name: "p" names another pipeline too']],
    ['one drift store', { targets: [{ name: 'db', url: 'postgres://h' }], drift: { stores: [{ name: 'db', ...hooks }] } }, [
      'drift.stores: expected at least two stores: the reference first, then the stores compared with it, got an array of 1',
    ]],
    ['a subset reference and duplicate stores', { targets: [{ name: 'db', url: 'postgres://h' }], drift: { stores: [{ name: 'a', subset: true, ...hooks }, { name: 'a', ...hooks }] } }, [
      'drift.stores[1].name: "a" names another store too',
      'drift.stores[0].subset: the first store is the reference (the source of truth) and cannot be a subset',
    ]],
    ['a threshold above 1', { targets: [{ name: 'db', url: 'postgres://h' }], drift: { stores: [{ name: 'a', ...hooks }, { name: 'b', ...hooks }], threshold: 5 } }, [
      'drift.threshold: expected a share between 0 and 1 (0.01 = 1 %), got 5',
    ]],
    ['two fingerprints of one target', { targets: [{ name: 'db', url: 'postgres://h' }], isolation: [{ target: 'db', fingerprint: () => 1 }, { target: 'db', fingerprint: () => 2 }] }, [
      'isolation[1].target: "db" has another fingerprint too; combine them into one',
    ]],
    ['an unknown option', { targets: [{ name: 'db', url: 'postgres://h' }], version: {} }, ['version: unknown option "version"; remove it or check its spelling']],
  ])('reports %s as issues with paths, and runs nothing', (_, input, messages) => {
    const probe = system(input as SystemOptions);
    expect(probe.checks).toEqual([]);
    expect(probe.issues!.map((issue) => `${issue.path || '(root)'}: ${issue.message}`)).toEqual(messages);
  });
});
