import type { Route } from '../http/router.ts';

/** Each dependency's liveness check, and whether the service can serve without it. */
export type HealthChecks = Record<string, { check: () => Promise<unknown>; optional?: boolean }>;

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/**
 * GET /health: each dependency within a second. 503 only when a required one is
 * down; an optional one down (the cache; Kafka, behind the outbox) is 200 `degraded`,
 * so a load balancer does not take away a service that still serves.
 * And GET /openapi.json.
 */
export function healthRoutes(checks: HealthChecks, openapi: unknown): Route[] {
  return [
    {
      method: 'GET', path: '/health', access: 'public',
      handle: async () => {
        const names = Object.keys(checks);
        const outcomes = await Promise.allSettled(names.map((name) => within(checks[name]!.check(), 1_000)));
        const down = names.filter((_, index) => outcomes[index]!.status === 'rejected');
        const checked = Object.fromEntries(names.map((name) => [name, down.includes(name) ? 'down' : 'ok']));
        const serving = down.every((name) => checks[name]!.optional);
        return { status: serving ? 200 : 503, body: { status: down.length === 0 ? 'ok' : serving ? 'degraded' : 'down', checks: checked } };
      },
    },
    { method: 'GET', path: '/openapi.json', access: 'public', handle: () => ({ body: openapi }) },
  ];
}
