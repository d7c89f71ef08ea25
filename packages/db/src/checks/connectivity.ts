import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { toDbError } from '../errors.ts';
import { median, ms } from '../evidence.ts';
import type { DbResources } from '../resources.ts';
import { connectClient } from '../session.ts';

/** Connecting slower than this warns [judgement: a pooled app pays it on every new connection]. */
const SLOW_CONNECT_MS = 1_000;

/** `db.connection.connectivity`: connect, round trip, server version, latency. */
export function connectivityCheck(): Check<DbResources> {
  return {
    id: 'db.connection.connectivity',
    title: 'Connect and make a round trip',
    checklist: [ITEMS.connectivity],
    async run(context) {
      const started = performance.now();
      const client = await connectClient(context.resources.config, context.signal).catch((error: unknown) => {
        throw toDbError(error, 'connecting');
      });
      try {
        const connectMs = performance.now() - started;
        const { rows } = await client.query<{ version: string; version_num: number; database: string; user: string; in_recovery: boolean; ssl: boolean | null }>(
          `select current_setting('server_version') as version, current_setting('server_version_num')::int as version_num,
                  current_database() as database, current_user as user, pg_is_in_recovery() as in_recovery,
                  (select ssl from pg_stat_ssl where pid = pg_backend_pid()) as ssl`,
        );
        const roundTrips: number[] = [];
        for (let index = 0; index < 5; index++) {
          const t0 = performance.now();
          await client.query('select 1');
          roundTrips.push(performance.now() - t0);
        }
        const server = rows[0]!;
        const roundTripMs = median(roundTrips);
        context.metric('connect_ms', ms(connectMs), 'ms');
        context.metric('round_trip_ms', ms(roundTripMs), 'ms');
        const evidence = {
          server_version: server.version, database: server.database, user: server.user,
          in_recovery: server.in_recovery, ssl: server.ssl ?? false,
        };
        const what = `PostgreSQL ${server.version} as ${server.user}@${server.database}${server.in_recovery ? ' (a read-only standby)' : ''}`;
        if (connectMs > SLOW_CONNECT_MS) {
          return { status: 'warn', summary: `connected to ${what}, but connecting took ${Math.round(connectMs)} ms (> ${SLOW_CONNECT_MS} ms)`, evidence };
        }
        return { status: 'pass', summary: `connected to ${what} in ${ms(connectMs)} ms; round trip ${ms(roundTripMs)} ms`, evidence };
      } catch (error) {
        throw toDbError(error);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
