import { createToxiproxyClient, type ProxyHandle } from '@probe/resilience';
import { signToken } from '../src/auth/tokens.ts';
import { DEMO_USERS } from '../src/db/seed.ts';
import { DEV_JWT_SECRET, namesOf, namespaced, type DemoNames } from '../src/options.ts';

/** Where the demo service and its stores are: what every probe of the demo config needs. */
export interface DemoTargets {
  /** The service's base URL. */
  url: string;
  /** The service's own database. */
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  /** The payment provider the service calls (its sandbox under `pnpm demo`). */
  paymentsUrl?: string;
  /** The service's key prefix, topics and consumer group. */
  names: DemoNames;
  /** The service's token signing key (the API probe mints an expired token with it). */
  jwtSecret: string;
  /** Whether the service runs with `--defects` (the payment client the resilience probe drives in-process follows it). */
  defects: boolean;
  /** The service's process id, when it runs on this machine: the load test watches its CPU and memory. */
  servicePid?: number;
  /**
   * A second instance of the service (same database, keys, topics and group) that reaches Redis
   * through a fault proxy: the cache experiment injects its fault there, so the probes of the
   * main instance never see it (the blast radius of a chaos experiment, kept to one replica).
   */
  canary?: { url: string; redisProxy: ProxyHandle };
}

/** The name of the proxy in front of Redis on the fault proxy `pnpm demo` starts. */
export const REDIS_PROXY = 'demo_redis';

/**
 * The targets from the environment `pnpm demo` sets: DEMO_URL, DEMO_DATABASE_URL, DEMO_PID
 * and DEMO_PAYMENTS_URL from the service's ready line, the services' PROBE_* URLs, and
 * DEMO_CANARY_URL with DEMO_TOXIPROXY_URL for the canary instance behind the `demo_redis` proxy.
 */
export function targetsFromEnv(env: NodeJS.ProcessEnv = process.env): DemoTargets {
  const need = (name: string, hint: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: ${hint}`);
    return value;
  };
  const started = 'run `pnpm demo`, or start the service (node apps/demo/src/main.ts) and export the DEMO_* lines it prints';
  const services = 'run `pnpm services:up` and export what it prints';
  return {
    url: need('DEMO_URL', started),
    databaseUrl: need('DEMO_DATABASE_URL', started),
    redisUrl: need('PROBE_REDIS_URL', services),
    kafkaBrokers: need('PROBE_KAFKA_BROKERS', services).split(','),
    ...(env.DEMO_PAYMENTS_URL ? { paymentsUrl: env.DEMO_PAYMENTS_URL } : {}),
    ...(env.DEMO_PID ? { servicePid: Number(env.DEMO_PID) } : {}),
    names: namesOf(namespaced(env.DEMO_NAMESPACE)),
    jwtSecret: env.DEMO_JWT_SECRET || DEV_JWT_SECRET,
    defects: /^(1|true|yes)$/i.test(env.DEMO_DEFECTS ?? ''),
    ...(env.DEMO_CANARY_URL && env.DEMO_TOXIPROXY_URL
      ? { canary: { url: env.DEMO_CANARY_URL, redisProxy: createToxiproxyClient({ url: env.DEMO_TOXIPROXY_URL }).handle(REDIS_PROXY) } }
      : {}),
  };
}

/** A bearer token of a demo account, valid for an hour. */
export function tokenOf(targets: DemoTargets, user: keyof typeof DEMO_USERS): string {
  const account = DEMO_USERS[user];
  return signToken({ customerId: account.id, role: account.role }, targets.jwtSecret, { ttlSeconds: 3_600 });
}

/** `Authorization` headers of a demo account. */
export function bearer(targets: DemoTargets, user: keyof typeof DEMO_USERS): Record<string, string> {
  return { authorization: `Bearer ${tokenOf(targets, user)}` };
}
