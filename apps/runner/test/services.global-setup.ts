import { servicesGlobalSetup } from '@probe/services';

/**
 * PostgreSQL and Redis for the shard simulation (test/shard-simulation.test.ts):
 * PROBE_PG_URL and PROBE_REDIS_URL, from tooling/services. A missing one
 * skips that test outside CI and fails the run under CI.
 */
export default servicesGlobalSetup(['pg', 'redis']);
