import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { demoConfig } from '../probe.config.ts';
import { ALL_DEFECTS } from '../src/defects.ts';
import { haveServices, startTestDemo, type TestDemo } from './fixture.ts';

async function runConfig(demo: TestDemo) {
  const events = collectEvents();
  const summary = await run(demoConfig(demo.targets), { reporters: [events] });
  const results = events.events.flatMap((event) => (event.type === 'check-end' ? [event.result] : []));
  const byStatus = (status: Result['status']) => results.filter((result) => result.status === status).map((result) => result.id).sort();
  return { summary, results, byStatus, get: (id: string) => results.find((result) => result.id === id)! };
}

/** Each defect of `--defects`, and the checks that must catch it. */
const CAUGHT_BY = {
  missingForeignKeyIndex: ['db.schema.foreign-key-indexes', 'db.query.index-usage'],
  staleProductCache: ['cache.ops.invalidation', 'cache.consistency.staleness', 'system.flow.order-placed', 'api.dataflow.roundtrip', 'data.sync.drift'],
  badJsonIs500: ['api.endpoints.error-handling'],
  dropsPoisonMessages: ['queue.processing.retry-dlq'],
  retriesClientErrors: ['resilience.retry.permanent'],
};

describe.skipIf(!haveServices)('probe.config.ts against the demo', () => {
  describe('healthy', () => {
    let demo: TestDemo;
    beforeAll(async () => { demo = await startTestDemo(); });
    afterAll(() => demo?.remove());

    it('passes: nothing fails or errors, and the flow crosses every system', async () => {
      const { summary, byStatus, get } = await runConfig(demo);
      expect({ fail: byStatus('fail'), error: byStatus('error') }).toEqual({ fail: [], error: [] });
      expect(summary.exitCode).toBe(0);
      const flow = get('system.flow.order-placed');
      expect((flow.evidence.steps as { step: string; status: string }[]).map((step) => `${step.step}:${step.status}`))
        .toEqual(['prime:pass', 'place:pass', 'row:pass', 'event:pass', 'stock:pass', 'cache:pass', 'processed:pass']);
    }, 30_000);
  });

  describe('with --defects', () => {
    let demo: TestDemo;
    beforeAll(async () => { demo = await startTestDemo({ defects: ALL_DEFECTS }); });
    afterAll(() => demo?.remove());

    it('flags every defect with the checks that catch it, and nothing else', async () => {
      const { summary, byStatus, get } = await runConfig(demo);
      expect(byStatus('fail')).toEqual(Object.values(CAUGHT_BY).flat().sort());
      expect(byStatus('error')).toEqual([]);
      expect(summary.exitCode).toBe(1);
      expect(get('db.schema.foreign-key-indexes').summary).toBe('1 of 3 foreign keys has no index: order_items(product_id)');
      expect(get('system.flow.order-placed').summary).toMatch(/failed at step 6\/7 "cache" \(product-cache\): the cached product still says stock \d+, the database says \d+/);
      expect(get('api.endpoints.error-handling').summary).toMatch(/POST \/\w+ with malformed JSON → 500/);
      expect(get('cache.ops.invalidation').summary).toMatch(/product:1 was not deleted within 2000 ms/);
    }, 30_000);
  });
});
