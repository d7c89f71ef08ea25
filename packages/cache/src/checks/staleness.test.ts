import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { sqlSource } from '../sql-source.ts';
import { createRedisNamespace, type RedisNamespace } from '../testing/index.ts';
import { matches } from './staleness.ts';

const ID = 'cache.consistency.staleness';
const pgUrl = process.env.PROBE_PG_URL;

describe.skipIf(!sharedUrl)('cache.consistency.staleness with a function source', () => {
  let cache: RedisNamespace;
  /** The "database": what the cache should hold. */
  const users = new Map<string, { name: string; plan: string }>();
  const load = (key: string) => users.get(key.slice(cache.prefix.length));
  beforeEach(async () => {
    cache = await createRedisNamespace({ url: sharedUrl! });
    users.clear();
    for (let index = 1; index <= 4; index++) {
      users.set(`user:${index}`, { name: `user ${index}`, plan: 'free' });
      await cache.client.set(`user:${index}`, JSON.stringify({ name: `user ${index}`, plan: 'free' }));
    }
  });
  afterEach(() => cache.cleanup());

  it('is skipped when no sourceOfTruth is configured', async () => {
    const result = await runCheck({ url: sharedUrl! }, ID);
    expect(result.status).toBe('skip');
  });

  it('passes when every sampled entry matches its source', async () => {
    const result = await runCheck({ url: sharedUrl!, sourceOfTruth: [{ pattern: `${cache.prefix}user:*`, load }] }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('4 sampled entries match their source');
    expect(result.metrics).toEqual([{ name: 'cache.stale_ratio', value: 0, unit: 'ratio' }]);
  });

  it('fails on a stale entry and on an orphan, with examples and a repro', async () => {
    users.set('user:2', { name: 'user 2', plan: 'pro' });   // the source changed; the cache did not
    users.delete('user:3');                                   // the record is gone; the cache still has it
    const result = await runCheck({ url: sharedUrl!, sourceOfTruth: [{ pattern: `${cache.prefix}user:*`, load }] }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^2 of 4 sampled entries are stale \(50%\): /);
    const [mapping] = result.evidence.mappings as { examples: { key: string; cached: string; source: string; why: string }[] }[];
    expect(mapping!.examples.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: cache.key('user:2'), cached: '{"name":"user 2","plan":"free"}', source: '{"name":"user 2","plan":"pro"}', why: 'differs from its source' },
      { key: cache.key('user:3'), cached: '{"name":"user 3","plan":"free"}', source: 'undefined', why: 'is cached but its source record is gone' },
    ]);
    expect(result.evidence.repro).toMatch(/^redis-cli -u redis:\/\/127.0.0.1:\d+\/? GET test:/);
  });

  it('compares hashes field by field and honours a custom compare and the staleRatio threshold', async () => {
    await cache.client.hset('account:1', { name: 'Ada', balance: '10' });
    const source = { name: 'Ada', balance: 10 };
    const hash = await runCheck({ url: sharedUrl!, sourceOfTruth: [{ pattern: `${cache.prefix}account:*`, load: () => source }] }, ID);
    expect(hash.status).toBe('pass');
    const lenient = await runCheck({
      url: sharedUrl!, thresholds: { staleRatio: 0.5 },
      sourceOfTruth: [{ pattern: `${cache.prefix}user:*`, load: () => ({ name: 'someone else' }), compare: (cached) => typeof cached === 'string' && cached.includes('user 1') }],
    }, ID);
    expect(lenient.status).toBe('fail');
    expect(lenient.summary).toMatch(/^3 of 4 sampled entries are stale \(75%\)/);
  });

  it('errors when the loader fails for every entry (a broken source, not a stale cache)', async () => {
    const result = await runCheck({ url: sharedUrl!, sourceOfTruth: [{ pattern: `${cache.prefix}user:*`, load: () => { throw new Error('relation "users" does not exist'); } }] }, ID);
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/^the sourceOfTruth loader failed: test:\w+:user:\d: relation "users" does not exist$/) });
  });
});

describe.skipIf(!sharedUrl || !pgUrl)('cache.consistency.staleness with a SQL source (sqlSource)', () => {
  let pool: pg.Pool;
  let cache: RedisNamespace;
  const table = `probe_cache_users_${process.pid}`;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
    await pool.query(`create table ${table} (id int primary key, name text, email text)`);
    await pool.query(`insert into ${table} values (1, 'Ada', 'ada@example.com'), (2, 'Linus', 'linus@example.com')`);
    cache = await createRedisNamespace({ url: sharedUrl! });
    await cache.client.set('user:1', JSON.stringify({ id: 1, name: 'Ada', email: 'ada@example.com' }));
    await cache.client.set('user:2', JSON.stringify({ id: 2, name: 'Linus', email: 'old@example.com' }));
  });
  afterAll(async () => {
    await cache.cleanup();
    await pool.query(`drop table if exists ${table}`);
    await pool.end();
  });

  it('compares cached JSON with the row the query returns', async () => {
    const load = sqlSource(pool, `select id, name, email from ${table} where id = $1`, { params: (key) => [Number(key.split(':').at(-1))] });
    const result = await runCheck({ url: sharedUrl!, sourceOfTruth: [{ pattern: `${cache.prefix}user:*`, load }] }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(`1 of 2 sampled entries are stale (50%): ${cache.key('user:2')} differs from its source`);
  });
});

describe('matches (the default comparison)', () => {
  it('compares text, numbers, JSON (dates as ISO text) and hashes', () => {
    expect(matches('42', 42)).toBe(true);
    expect(matches('{"at":"2024-01-02T00:00:00.000Z"}', { at: new Date('2024-01-02T00:00:00Z') })).toBe(true);
    expect(matches({ a: '1', b: 'x' }, { a: 1, b: 'x' })).toBe(true);
    expect(matches({ a: '1' }, { a: 1, b: 'x' })).toBe(false);
    expect(matches('not json', { a: 1 })).toBe(false);
    expect(matches('\u00ff', Buffer.from('\u00ff'))).toBe(true);
  });
});
