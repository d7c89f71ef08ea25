export { redis } from './redis-probe.ts';
export {
  redisOptionsSchema,
  type ActionFunction, type CachedValue, type HttpAction, type InvalidationScenario, type RedisProbeOptions,
  type ResolvedOptions, type SampleOptions, type SourceContext, type SourceLoader, type SourceMapping, type Thresholds,
} from './options.ts';
export { sqlSource, type SqlQueryable, type SqlSourceOptions } from './sql-source.ts';
export type { CacheResources } from './resources.ts';
export type { Deployment, RedisNode, Shard } from './deployment.ts';
export { cacheStep, type CacheEntry, type CacheExpectation, type CacheStepOptions } from './steps.ts';
