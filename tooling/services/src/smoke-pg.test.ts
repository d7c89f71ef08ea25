import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serviceUrl } from './env.ts';

const url = serviceUrl('pg');

describe.skipIf(!url)('PostgreSQL smoke', () => {
  it('runs a query in a throwaway schema and drops it', async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    await client.connect();
    const schema = `probe_services_${process.pid}_${Date.now()}`;
    try {
      await client.query(`create schema ${schema}`);
      await client.query(`create table ${schema}.item (id int primary key, name text not null)`);
      await client.query(`insert into ${schema}.item values ($1, $2)`, [1, 'probe']);
      const { rows } = await client.query(`select name, current_database() as db from ${schema}.item where id = $1`, [1]);
      expect(rows).toEqual([{ name: 'probe', db: new URL(url!).pathname.slice(1) }]);
    } finally {
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  });
});
