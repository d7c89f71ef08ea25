import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../fake-io.test-helper.ts';
import { main } from '../main.ts';
import { renderList, type ListedCheck } from './list-command.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

describe('probe list', () => {
  it('lists the selected checks as JSON, URLs redacted, read-only skips marked', async () => {
    const io = fakeIo(fixtures);
    expect(await main(['list', '-c', 'canary.config.ts', '--json', '--read-only', '--skip', '*.error'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual([
      {
        target: { kind: 'postgres', name: 'canary-db', url: 'postgres://app:***@127.0.0.1:1/db' }, id: 'db.canary.throws', title: 'Throws with the password in its message',
        writes: false, slow: false, parallel: false, needs: [], checklist: ['integration.database.connection.verify-credentials'],
      },
      {
        target: { kind: 'http', name: 'canary-api', url: 'http://app:***@127.0.0.1:1/' }, id: 'api.canary.evidence', title: 'Fails with the token in its evidence',
        writes: false, slow: false, parallel: false, needs: [], checklist: ['integration.api.authentication.verify-tokens'],
      },
    ]);
  });

  it('renders text grouped by target, with flags and a footer', () => {
    const check = (id: string, extra: Partial<ListedCheck> = {}): ListedCheck => ({
      target: { kind: 'redis', name: 'cache' }, id, title: `title of ${id}`, writes: false, slow: false, parallel: false, needs: [], checklist: [], ...extra,
    });
    expect(renderList([check('cache.a.one', { parallel: true, timeoutMs: 10 }), check('cache.b.two', { writes: true })], 1, '2/3')).toBe([
      'cache (redis)',
      '  cache.a.one  title of cache.a.one  [parallel]',
      '  cache.b.two  title of cache.b.two  [writes]',
      '',
      '2 checks on 1 target (shard 2/3); 1 writing check (--read-only skips them)',
      '',
    ].join('\n'));
    expect(renderList([], 0, undefined)).toBe('0 checks on 0 targets\n');
  });

  it('an empty shard lists nothing, and is not an error', async () => {
    const io = fakeIo(fixtures);
    expect(await main(['list', '-c', 'interrupt.config.ts', '--shard', '3/3', '--only', 'sleepy-target/*'], io)).toBe(0);
    expect(io.out()).toBe('0 checks on 0 targets (shard 3/3)\n');
  });
});
