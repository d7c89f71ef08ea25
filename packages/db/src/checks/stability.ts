import { messageOf, type Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { toDbError } from '../errors.ts';
import { ms, percentile } from '../evidence.ts';
import type { DbResources } from '../resources.ts';

/** `db.connection.stability`: repeated round trips through the pool — error rate and latency spread. */
export function stabilityCheck(): Check<DbResources> {
  return {
    id: 'db.connection.stability',
    title: 'Repeated round trips: error rate and latency spread',
    checklist: [ITEMS.stability],
    async run(context) {
      const { stabilityRounds: rounds, stabilityP95Ms } = context.resources.settings.thresholds;
      const { pool } = context.resources;
      const latencies: number[] = [];
      const errors: string[] = [];
      let firstError: unknown;
      for (let index = 0; index < rounds && !context.signal.aborted; index++) {
        const started = performance.now();
        try {
          await pool.query('select 1');
          latencies.push(performance.now() - started);
        } catch (error) {
          firstError ??= error;
          errors.push(messageOf(error));
        }
      }
      context.signal.throwIfAborted();
      if (latencies.length === 0) throw toDbError(firstError, 'every round trip failed');
      const p50 = latencies.length ? ms(percentile(latencies, 50)) : 0;
      const p95 = latencies.length ? ms(percentile(latencies, 95)) : 0;
      const max = latencies.length ? ms(Math.max(...latencies)) : 0;
      const errorRate = errors.length / rounds;
      context.metric('round_trip_p50_ms', p50, 'ms');
      context.metric('round_trip_p95_ms', p95, 'ms');
      context.metric('round_trip_max_ms', max, 'ms');
      context.metric('error_rate', errorRate, 'ratio');
      const leaked = pool.totalCount - pool.idleCount;
      const evidence = { rounds, errors: errors.slice(0, 5), p50_ms: p50, p95_ms: p95, max_ms: max, checked_out_after: leaked };
      const figures = `p50 ${p50} ms, p95 ${p95} ms, max ${max} ms`;
      if (errors.length > 0) return { status: 'fail', summary: `${errors.length} of ${rounds} round trips failed (${errors[0]}); ${figures}`, evidence };
      if (leaked > 0) return { status: 'fail', summary: `${leaked} pooled clients were not released after ${rounds} round trips`, evidence };
      if (p95 > stabilityP95Ms) return { status: 'warn', summary: `${rounds} round trips without error, but p95 ${p95} ms > ${stabilityP95Ms} ms (${figures})`, evidence };
      return { status: 'pass', summary: `${rounds} round trips without error: ${figures}`, evidence };
    },
  };
}
