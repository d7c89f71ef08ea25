import { describe, expect, it } from 'vitest';
import { runChecked } from '../../../test/helpers.ts';
import type { Check } from '../../protocol/types.ts';
import { system } from '../system-probe.ts';
import { pgTarget, redisTarget, scanKeys, scratch, servicesMissing, useServices, type Scratch, type Services } from '../services.test-helper.ts';
import type { IsolationFingerprint } from '../types.ts';
import type { IsolationEntry } from './isolation.ts';

const entries = (evidence: unknown) => (evidence as { targets: IsolationEntry[] }).targets;

/** The application's data: a table of accounts and a few session keys. */
async function seed(services: Services, { schema, prefix }: Scratch): Promise<void> {
  await services.pool.query(`create table ${schema}.accounts (id int primary key, owner text not null, balance int not null)`);
  await services.pool.query(`insert into ${schema}.accounts values (1, 'ada', 100), (2, 'bob', 50), (3, 'cy', 0)`);
  await services.redis.mset(`${prefix}app:session:1`, 'ada', `${prefix}app:session:2`, 'bob');
}

/** What the packages' fingerprint helpers would give: row count and checksum per table; the app's keys and values. */
function fingerprints(services: Services, { schema, prefix }: Scratch): IsolationFingerprint[] {
  return [
    {
      target: 'orders-db',
      fingerprint: async () => {
        const { rows } = await services.pool.query(`select count(*)::int as count, md5(coalesce(string_agg(a::text, ',' order by id), '')) as checksum from ${schema}.accounts a`);
        return { tables: { accounts: rows[0] } };
      },
    },
    {
      target: 'cache',
      fingerprint: async () => {
        const keys = await scanKeys(services.redis, `${prefix}app:*`);
        const values = keys.length > 0 ? await services.redis.mget(...keys) : [];
        return Object.fromEntries(keys.map((key, index) => [key.slice(prefix.length), values[index]]));
      },
    },
  ];
}

describe.skipIf(servicesMissing)('system.isolation (real PostgreSQL and Redis)', () => {
  const services = useServices();

  it('passes when the checks wrote only in what they own (a rolled-back transaction, their own key prefix)', async (context) => {
    const namespace = await scratch(services, context);
    await seed(services, namespace);
    const polite: Check = {
      id: 'system.flow.polite', title: 'writes only its own things', writes: true,
      run: async ({ runId }) => {
        const client = await services.pool.connect();
        try {
          await client.query('begin');
          await client.query(`update ${namespace.schema}.accounts set balance = 0`);
          await client.query('rollback');
        } finally {
          client.release();
        }
        await services.redis.set(`${namespace.prefix}probe:${runId}:scratch`, 'x');
        return { status: 'pass', summary: 'wrote in a rolled-back transaction and its own keys' };
      },
    };
    const probe = system({ targets: [pgTarget(services), redisTarget(services)], checks: [polite], isolation: fingerprints(services, namespace) });
    const { results } = await runChecked([probe]);
    expect(results.map((result) => result.id).at(-1)).toBe('system.isolation');
    expect(results.at(-1)).toMatchObject({ status: 'pass', summary: '2 fingerprints unchanged: orders-db, cache' });
  });

  it('fails naming each target a check changed, and how', async (context) => {
    const namespace = await scratch(services, context);
    await seed(services, namespace);
    const rogue: Check = {
      id: 'system.flow.rogue', title: "changes someone else's data", writes: true,
      run: async () => {
        await services.pool.query(`update ${namespace.schema}.accounts set balance = balance + 1 where id = 2`);
        await services.pool.query(`insert into ${namespace.schema}.accounts values (4, 'probe', 0)`);
        await services.redis.set(`${namespace.prefix}app:session:3`, 'probe');
        await services.redis.set(`${namespace.prefix}app:session:1`, 'eve');
        return { status: 'pass', summary: 'did its thing' };
      },
    };
    const probe = system({ targets: [pgTarget(services)], checks: [rogue], isolation: fingerprints(services, namespace) });
    const { results } = await runChecked([probe]);
    const isolation = results.at(-1)!;
    expect(isolation.status).toBe('fail');
    expect(isolation.summary).toMatch(/^data outside the probes' own objects changed during the run — orders-db: tables\.accounts\.checksum: "[0-9a-f]{32}" → "[0-9a-f]{32}", tables\.accounts\.count: 3 → 4; cache: app:session:1: "ada" → "eve", app:session:3: added "probe"$/);
    expect(entries(isolation.evidence).map((entry) => [entry.target, entry.changed, entry.changes!.map((change) => change.path)])).toEqual([
      ['orders-db', true, ['tables.accounts.checksum', 'tables.accounts.count']],
      ['cache', true, ['app:session:1', 'app:session:3']],
    ]);
  });

  it('errors for a fingerprint that cannot be taken, while the other checks still run', async (context) => {
    const namespace = await scratch(services, context);
    await seed(services, namespace);
    const failing: IsolationFingerprint = { target: 'ledger', fingerprint: () => { throw new Error('relation "ledger" does not exist'); } };
    const probe = system({ targets: [redisTarget(services)], isolation: [...fingerprints(services, namespace), failing] });
    const { results } = await runChecked([probe]);
    expect(results.find((result) => result.id === 'system.dependencies.availability')!.status).toBe('pass');
    expect(results.at(-1)).toMatchObject({
      status: 'error',
      summary: 'could not compare 1 fingerprint: fingerprint of ledger (before): relation "ledger" does not exist',
      error: { code: 'SYSTEM_ERR_HOOK' },
    });
  });
});

describe('system.isolation without setup', () => {
  it('errors when no fingerprint was taken before (setup did not run) or the after one fails', async () => {
    let calls = 0;
    const probe = system({ targets: [{ name: 'x', url: 'http://127.0.0.1:1' }], isolation: [{ target: 'x', fingerprint: () => { calls += 1; if (calls > 1) throw new Error('gone'); return 1; } }] });
    const check = probe.checks.at(-1)!;
    const context = { signal: new AbortController().signal, runId: 'r', resources: undefined } as unknown as Parameters<typeof check.run>[0];
    expect(await check.run(context)).toMatchObject({ status: 'error', summary: expect.stringContaining('no fingerprint was taken before the checks ran') });
    const resources = await probe.setup!({ signal: new AbortController().signal, runId: 'r' } as never);
    expect(await check.run({ ...context, resources })).toMatchObject({ status: 'error', summary: 'could not compare 1 fingerprint: fingerprint of x (after): gone' });
  });
});
