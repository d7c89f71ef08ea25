import { infoNumber, percent } from '../info.ts';
import { deltaOf, totalOf } from '../stats-window.ts';
import { ITEM, type CacheCheck } from './shared.ts';

/**
 * `cache.strategy.hit-rate`: keyspace_hits / (hits + misses) as the growth of
 * the counters over a window (`sample.windowMs`, default 1 s) on every data
 * node, not since server start. Too few lookups in the window → skip.
 */
export const hitRateCheck: CacheCheck = {
  id: 'cache.strategy.hit-rate',
  title: 'The keyspace hit rate over a sampling window is above the thresholds',
  checklist: [ITEM.hitRates, ITEM.efficiency],
  async run({ resources, signal }) {
    const { hitRateWarn, hitRateFail, minLookups } = resources.options.thresholds;
    const window = await resources.statsWindow(signal);
    const hits = deltaOf(window, 'keyspace_hits');
    const misses = deltaOf(window, 'keyspace_misses');
    const lookups = hits + misses;
    const lifetimeHits = totalOf(window, 'keyspace_hits');
    const lifetimeLookups = lifetimeHits + totalOf(window, 'keyspace_misses');
    const evidence = {
      windowMs: window.ms,
      hits, misses,
      sinceStart: { hits: lifetimeHits, misses: lifetimeLookups - lifetimeHits, hitRate: lifetimeLookups > 0 ? lifetimeHits / lifetimeLookups : null },
      nodes: window.nodes.map((node) => ({
        address: node.address, role: node.role,
        hits: (infoNumber(node.after, 'keyspace_hits') ?? 0) - (infoNumber(node.before, 'keyspace_hits') ?? 0),
        misses: (infoNumber(node.after, 'keyspace_misses') ?? 0) - (infoNumber(node.before, 'keyspace_misses') ?? 0),
      })),
      thresholds: { hitRateWarn, hitRateFail, minLookups },
      repro: `${resources.cli(['INFO', 'stats'])} | grep keyspace_  # run twice, a window apart, and compare`,
    };
    if (lookups < minLookups) {
      return {
        status: 'skip',
        summary: `only ${lookups} lookups in the ${Math.round(window.ms)} ms window; too few to judge a hit rate`,
        reason: `too little traffic: ${lookups} lookups in ${Math.round(window.ms)} ms (minLookups ${minLookups}); run it under real traffic or raise sample.windowMs`,
        evidence,
      };
    }
    const rate = hits / lookups;
    const metrics = [
      { name: 'cache.hit_ratio', value: rate, unit: 'ratio' },
      { name: 'cache.lookups_per_s', value: Math.round((lookups / window.ms) * 1_000), unit: 'rps' },
    ];
    const line = `hit rate ${percent(rate)} (${hits} hits, ${misses} misses in ${Math.round(window.ms)} ms)`;
    if (rate < hitRateFail) return { status: 'fail', summary: `${line} is below ${percent(hitRateFail)}`, evidence, metrics };
    if (rate < hitRateWarn) return { status: 'warn', summary: `${line} is below ${percent(hitRateWarn)}`, evidence, metrics };
    return { status: 'pass', summary: line, evidence, metrics };
  },
};
