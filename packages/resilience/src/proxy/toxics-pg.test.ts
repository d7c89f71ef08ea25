import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, median, through } from '../../test/helpers.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { toxic } from './toxics.ts';

const url = process.env.PROBE_PG_URL;

describe.skipIf(!url)('fault proxy in front of the real PostgreSQL', () => {
  let proxy: FaultProxy;
  const clients: pg.Client[] = [];
  const client = async (options: Partial<pg.ClientConfig> = {}) => {
    const created = new pg.Client({ connectionString: through(url!, proxy.host, proxy.port), ...options });
    created.on('error', () => {});
    clients.push(created);
    await created.connect();
    return created;
  };
  const timeQuery = async (connection: pg.Client, sql = 'select 1') => {
    const started = performance.now();
    await connection.query(sql);
    return performance.now() - started;
  };

  beforeAll(async () => { proxy = await startFaultProxy({ name: 'pg_test', upstream: addressOf(url!) }); });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((connection) => connection.end().catch(() => {})));
    await proxy.reset();
  });
  afterAll(async () => { await proxy?.close(); });

  it('carries a real session (startup, auth, queries) and counts its bytes and connection', async () => {
    const before = structuredClone(proxy.counters);
    const connection = await client();
    const { rows } = await connection.query('select 41 + 1 as answer');
    expect(rows).toEqual([{ answer: 42 }]);
    expect(proxy.counters.connections.total - before.connections.total).toBe(1);
    expect(proxy.counters.upstream.sent - before.upstream.sent).toBeGreaterThan(20);
    expect(proxy.counters.downstream.sent - before.downstream.sent).toBeGreaterThan(100);
  });

  it('latency (upstream): each query round trip takes the declared delay longer', async () => {
    const connection = await client();
    const base = median([await timeQuery(connection), await timeQuery(connection), await timeQuery(connection)]);
    await proxy.addToxic(toxic.latency(150, { stream: 'upstream' }));
    const slowed = median([await timeQuery(connection), await timeQuery(connection), await timeQuery(connection)]);
    expect(slowed - base).toBeGreaterThanOrEqual(145);
    expect(slowed - base).toBeLessThan(230);
  });

  it('bandwidth: a 300 KB result through a 300 KB/s link arrives at that rate (within 10 %)', async () => {
    const connection = await client();
    await proxy.addToxic(toxic.bandwidth(300));
    const before = proxy.counters.downstream.sent;
    const ms = await timeQuery(connection, "select repeat('x', 300000) as blob");
    const bytes = proxy.counters.downstream.sent - before;
    expect(bytes).toBeGreaterThan(300_000);
    expect(bytes / ms).toBeGreaterThan(270);
    expect(bytes / ms).toBeLessThan(330);
  });

  it('reset_peer: the pg client sees ECONNRESET on its query', async () => {
    const connection = await client();
    await proxy.addToxic(toxic.resetPeer(0, { stream: 'upstream' }));
    const error = await connection.query('select 1').catch((caught: NodeJS.ErrnoException) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('timeout 0: the query never answers, so only the client-side query_timeout ends it', async () => {
    const connection = await client({ query_timeout: 300 });
    await proxy.addToxic(toxic.timeout(0));
    const started = performance.now();
    await expect(connection.query('select 1')).rejects.toThrow(/timeout/i);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('down: open sessions are cut ("Connection terminated"), new ones refused; up again, a new session works', async () => {
    const connection = await client();
    await proxy.setEnabled(false);
    await expect(connection.query('select 1')).rejects.toThrow(/terminated|not queryable|ended/i);
    await expect(client()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.setEnabled(true);
    await sleep(10);
    const again = await client();
    expect((await again.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
