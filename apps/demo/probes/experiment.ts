import { experiment, toxic } from '@probe/resilience';
import type { DemoTargets } from './targets.ts';

/**
 * A degradation experiment on the cache, run on the canary instance: with Redis
 * answering a second late (a latency toxic on the fault proxy between the canary
 * and Redis), product reads must still answer — from PostgreSQL, `X-Cache: bypass`
 * — within 600 ms, and be served from the cache again within 3 s of the fault's
 * removal. Only where there is a canary (`pnpm demo` starts one).
 */
export function cacheExperiment(targets: DemoTargets) {
  if (!targets.canary) return [];
  const read = { url: `${targets.canary.url}/products/2`, method: 'GET' };
  return [experiment({
    name: 'cache-degradation',
    steadyState: [{ ...read, name: 'product read from the cache', expect: { status: 200, headers: { 'x-cache': /^(hit|miss)$/ }, maxMs: 200 } }],
    fault: { proxy: targets.canary.redisProxy, toxic: toxic.latency(1_000), holdMs: 50 },
    during: [{ ...read, name: 'product read while Redis is slow', expect: { status: 200, headers: { 'x-cache': 'bypass' }, maxMs: 600 } }],
    recovery: { within: 3_000, intervalMs: 100 },
  })];
}
