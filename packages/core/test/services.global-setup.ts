import { servicesGlobalSetup } from '@probe/services';

/**
 * PostgreSQL and Redis for the system checks' tests (src/system), from
 * tooling/services: PROBE_PG_URL and PROBE_REDIS_URL in the workers' env.
 * Only these two: the rest of core's tests need no service.
 */
export default servicesGlobalSetup(['pg', 'redis']);
