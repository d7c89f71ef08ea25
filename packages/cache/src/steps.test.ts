import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineFlow, defineProbe, expectStep, run, type FlowStep, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { sharedUrl } from '../test/support/run.ts';
import { cacheStep } from './steps.ts';
import { createRedisNamespace, type RedisNamespace } from './testing/index.ts';

async function runFlow(steps: FlowStep[]): Promise<Result> {
  const events = collectEvents();
  await run([defineProbe({ target: { kind: 'system', name: 'shop' }, checks: [defineFlow({ name: 'order', steps, timeoutMs: 3_000 })] })], { reporters: [events] });
  return (events.events.find((event) => event.type === 'check-end') as { result: Result }).result;
}

type Output = Record<string, unknown>;
const outputs = (result: Result) => (result.evidence.steps as { output: Output }[]).map((step) => step.output);

describe.skipIf(!sharedUrl)('cacheStep', () => {
  let cache: RedisNamespace;
  beforeEach(async () => { cache = await createRedisNamespace({ url: sharedUrl! }); });
  afterEach(() => cache.cleanup());

  it('passes when an invalidated key is gone, and reads a present entry with its TTL for later steps', async () => {
    await cache.client.set('product:1', '{"stock":9}', 'EX', 60);
    const result = await runFlow([
      { name: 'placed', run: () => ({ productId: 1 }) },
      cacheStep({ name: 'cached', url: sharedUrl!, key: (state) => cache.key(`product:${(state.placed as { productId: number }).productId}`), expect: 'present' }),
      cacheStep({ name: 'fresh', url: sharedUrl!, key: cache.key('product:1'), expect: (entry) => expectStep(JSON.parse(entry.value as string).stock === 9, 'stale stock') }),
      cacheStep({ name: 'gone', url: sharedUrl!, key: cache.key('product:2'), expect: 'absent' }),
    ]);
    expect(result.status).toBe('pass');
    const [, cached, , gone] = outputs(result);
    expect(cached).toMatchObject({ key: cache.key('product:1'), exists: true, type: 'string', value: '{"stock":9}' });
    expect(cached!.ttlMs).toBeGreaterThan(55_000);
    expect(gone).toEqual({ key: cache.key('product:2'), exists: false, type: 'none' });
  });

  it('fails when an entry that should be invalidated is still cached, with the value and a redis-cli line', async () => {
    await cache.client.hset('product:3', { stock: '5' });
    const result = await runFlow([cacheStep({ name: 'invalidated', target: 'cache', url: sharedUrl!, key: cache.key('product:3'), expect: 'absent' })]);
    expect(result.summary).toBe(`flow order failed at step 1/1 "invalidated" (cache): ${cache.key('product:3')} is still cached (TTL -1 ms): it was not invalidated`);
    expect(outputs(result)[0]).toEqual({
      key: cache.key('product:3'), type: 'hash', value: { stock: '5' }, ttlMs: -1, reproduce: `redis-cli -u ${sharedUrl!} HGETALL ${cache.key('product:3')}`,
    });
  });

  it('fails with the reason a condition gives, and when a present entry is missing', async () => {
    await cache.client.set('product:4', '{"stock":1}');
    const stale = await runFlow([cacheStep({ name: 'fresh', url: sharedUrl!, key: cache.key('product:4'), expect: () => 'stock is 1, the database says 0' })]);
    expect(stale.summary).toMatch(/"fresh" \(redis\): .*product:4: stock is 1, the database says 0$/);
    const missing = await runFlow([cacheStep({ name: 'cached', url: sharedUrl!, key: cache.key('product:5'), expect: 'present' })]);
    expect(missing.summary).toMatch(/product:5 is not cached$/);
  });

  it('is an error when Redis cannot be reached, and never shows the password', async () => {
    const result = await runFlow([cacheStep({ name: 'gone', url: 'redis://:canary-pw@127.0.0.1:1', key: 'k', expect: 'absent' })]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_UNREACHABLE' } });
    expect(JSON.stringify(result)).not.toContain('canary-pw');
  });
});
