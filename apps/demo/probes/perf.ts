import type { Probe } from '@probe/core';
import { httpLoad } from '@probe/perf';
import type { DemoTargets } from './targets.ts';

/**
 * A short, bounded load on the catalogue — GET /products at 200 requests a
 * second for 1 s (open model: latency from the intended send times, so a stall
 * shows) — against latency SLOs; and the service's CPU and memory during it when
 * its process id is known (`pnpm demo` passes it). Run in shards (`--shard i/n`),
 * each shard sends its share of the 200 requests a second at the same time and
 * `probe merge` adds the parts up (`distribute`).
 */
export function perfProbe(targets: DemoTargets): Probe {
  return httpLoad({
    name: 'catalogue-load',
    url: `${targets.url}/products?limit=20`,
    rate: 200,
    duration: '1s',
    thresholds: { p95Ms: 100, p99Ms: 250, maxErrorRate: 0 },
    distribute: true,
    ...(targets.servicePid ? { resources: { pid: targets.servicePid, maxRssMb: 512 } } : {}),
  });
}
