/**
 * Test helper: real runs of the engine over small inline probes with every
 * outcome, recorded as events — what the reporters are tested against.
 */
import { run, type RunOptions, type RunSummary } from '../engine/run.ts';
import type { Reporter, RunEvent } from '../protocol/events.ts';
import type { Probe } from '../protocol/types.ts';

/** A summary a JUnit file or a terminal must not take literally. */
export const HOSTILE_SUMMARY = 'row <script>alert(1)</script> & "quoted" \'single\' bell\u0007 esc\u001b[31m';

/** Evidence long enough to be cut by the console summary (40 lines when pretty-printed). */
export const LONG_EVIDENCE = { rows: Array.from({ length: 36 }, (_unused, index) => ({ id: index + 1 })).map((row) => row.id) };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two targets, every status, evidence, metrics, a `needs` skip, a timeout and a hostile summary. */
export function sampleProbes(): Probe[] {
  return [
    {
      target: { kind: 'postgres', name: 'orders-db', url: 'postgres://app:s3cret-canary@127.0.0.1:5432/app' },
      checks: [
        {
          id: 'db.connection.connectivity', title: 'Connects', checklist: ['integration.database.connection.test-connectivity'],
          run: (context) => { context.metric('connect_ms', 3, 'ms'); return { status: 'pass', summary: 'connected to PostgreSQL 15.19 in 3 ms' }; },
        },
        {
          id: 'db.schema.foreign-keys-indexed', title: 'Foreign keys are indexed',
          run: () => ({
            status: 'fail', summary: '2 foreign keys have no index',
            evidence: { unindexed: ['orders.customer_id', 'order_items.order_id'], repro: 'psql "postgres://app:s3cret-canary@127.0.0.1:5432/app" -c "\\d orders"' },
          }),
        },
        {
          id: 'db.query.hostile', title: 'Hostile text',
          run: () => ({ status: 'fail', summary: HOSTILE_SUMMARY, evidence: LONG_EVIDENCE }),
        },
        { id: 'db.pool.exhaustion', title: 'Pool', timeoutMs: 30, run: () => sleep(200).then(() => ({ status: 'pass' as const, summary: 'late' })) },
        { id: 'db.crud.round-trip', title: 'CRUD', needs: ['db.schema.foreign-keys-indexed'], run: () => ({ status: 'pass', summary: 'unreached' }) },
      ],
    },
    {
      target: { kind: 'redis', name: 'cache' },
      checks: [
        {
          id: 'cache.hit-ratio', title: 'Hit ratio',
          run: () => ({ status: 'warn', summary: 'hit ratio 62% < 80% advisory', metrics: [{ name: 'cache.hit_ratio', value: 0.62, unit: 'ratio' }], evidence: { hits: 62, misses: 38 } }),
        },
        { id: 'cache.ttl.set', title: 'TTL', run: () => ({ status: 'pass', summary: 'TTL honoured' }) },
        { id: 'cache.eviction.policy', title: 'Eviction', writes: true, run: () => ({ status: 'pass', summary: 'ok' }) },
      ],
    },
  ];
}

/** A reporter that keeps every event. */
export function createRecorder(): Reporter & { events: RunEvent[]; closed: boolean } {
  const recorder = {
    events: [] as RunEvent[],
    closed: false,
    onEvent(event: RunEvent) { recorder.events.push(event); },
    close() { recorder.closed = true; },
  };
  return recorder;
}

/** Run the probes (default {@link sampleProbes}, read-only) and return the events and the summary. */
export async function recordRun(options: RunOptions & { probes?: Probe[] } = {}): Promise<{ events: RunEvent[]; summary: RunSummary }> {
  const recorder = createRecorder();
  const { probes = sampleProbes(), reporters = [], ...rest } = options;
  const summary = await run(probes, { readOnly: true, ...rest, reporters: [recorder, ...reporters] });
  return { events: recorder.events, summary };
}
