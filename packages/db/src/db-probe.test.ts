import { isKnownItem } from '@probe/core';
import { describe, expect, it } from 'vitest';
import { only, pgUrl, probeResults } from '../test/fixtures.ts';
import { postgres } from './db-probe.ts';

describe('postgres(options)', () => {
  it('has stable, domain-prefixed check ids that name known checklist items', () => {
    const probe = postgres({ url: 'postgres://app:secret@db.internal:5433/shop', migrations: { dir: 'migrations', format: 'sql' } });
    expect(probe.checks.map((check) => check.id)).toEqual([
      'db.connection.connectivity', 'db.connection.credentials', 'db.connection.pooling', 'db.connection.reconnection', 'db.connection.stability',
      'db.query.crud', 'db.query.transactions', 'db.query.constraints', 'db.query.performance', 'db.query.index-usage', 'db.query.execution', 'db.query.activity',
      'db.schema.primary-keys', 'db.schema.foreign-key-indexes', 'db.schema.invalid-objects',
      'db.integrity.constraints', 'db.integrity.relationships', 'db.integrity.triggers', 'db.integrity.migrations', 'db.integrity.consistency',
    ]);
    for (const check of probe.checks) {
      expect(check.checklist?.length, check.id).toBeGreaterThan(0);
      expect(check.checklist!.filter((item) => !isKnownItem(item)), check.id).toEqual([]);
      if (check.id !== 'db.connection.connectivity') expect(check.needs).toEqual(['db.connection.connectivity']);
    }
    expect(probe.target).toEqual({ kind: 'postgres', name: 'db.internal:5433/shop', url: 'postgres://app:secret@db.internal:5433/shop' });
    expect(probe.secrets).toContain('secret');
    expect(probe.checks.filter((check) => check.writes).map((check) => check.id)).toEqual(['db.query.crud', 'db.query.transactions', 'db.query.constraints', 'db.integrity.migrations']);
  });

  it('turns invalid options into issues naming the field, with the password masked', () => {
    expect(postgres({ url: 'localhost' }).issues).toEqual([{ path: 'url', message: 'expected a postgres:// URL, got "localhost"' }]);
    expect(postgres({ url: 'mysql://root:hunter2@db/app' }).issues).toEqual([{ path: 'url', message: 'expected a postgres:// URL, got "mysql://root:***@db/app"' }]);
    const issues = postgres({
      url: 'postgres://db/app', pool: { size: 0 }, thresholds: { connectionsWarnRatio: 2 },
      queries: [{ name: 'q', sql: 'select 1', maxMs: -1 }], migrations: { dir: 'm', format: 'flyway' as never }, colour: 'blue',
    } as never).issues;
    expect(issues).toEqual([
      { path: 'queries[0].maxMs', message: 'expected a positive number of milliseconds, got -1' },
      { path: 'migrations.format', message: 'expected "sql" or "node-pg-migrate", got "flyway"' },
      { path: 'pool.size', message: 'expected a positive whole number of connections, got 0' },
      { path: 'thresholds.connectionsWarnRatio', message: 'expected a ratio between 0 and 1, got 2' },
      { path: 'colour', message: 'unknown option "colour"; remove it or check its spelling' },
    ]);
  });
});

describe.skipIf(!pgUrl)('postgres(options) under --read-only', () => {
  it('skips every check that writes and runs the others', async () => {
    const results = await probeResults({ url: pgUrl! }, [], { readOnly: true });
    const skipped = [...results.values()].filter((result) => result.status === 'skip' && result.reason?.startsWith('read-only')).map((result) => result.id);
    expect(skipped).toEqual(['db.query.crud', 'db.query.transactions', 'db.query.constraints']);
    expect(only(results, 'db.schema.primary-keys').status).toBe('pass');
  });
});
