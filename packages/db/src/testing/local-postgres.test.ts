import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startLocalPostgres } from './local-postgres.ts';

const installed = existsSync('/usr/lib/postgresql') || Boolean(process.env.PATH?.split(':').some((dir) => existsSync(`${dir}/initdb`)));

describe.runIf(installed)('startLocalPostgres', () => {
  it('starts a private server in about a second, and stop() removes it', async () => {
    const started = performance.now();
    const server = await startLocalPostgres();
    try {
      expect(performance.now() - started).toBeLessThan(4_000);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query("select current_setting('fsync') as fsync, current_setting('listen_addresses') as listen")).rows).toEqual([{ fsync: 'off', listen: '127.0.0.1' }]);
      await client.end();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dataDir)).toBe(false);
  });
});
