import { NO_DEFECTS, type Defects } from './defects.ts';

/** What the service needs to start. */
export interface DemoOptions {
  /** A PostgreSQL server URL; the service uses (and creates) the database {@link database} on it. */
  pgUrl: string;
  /** Default `probe_demo`. */
  database?: string;
  redisUrl: string;
  /** `host:port` of each seed broker. */
  kafkaBrokers: string[];
  /** The payment provider's base URL; default: a sandbox started in this process. */
  paymentsUrl?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Prefix of every Redis key the service writes (default `demo:`). */
  keyPrefix?: string;
  /** Prefix of every topic and consumer group (default `demo.`). */
  topicPrefix?: string;
  /** HS256 key of the access tokens (default: a fixed development key). */
  jwtSecret?: string;
  defects?: Defects;
  /** Silence the service's log lines (tests). */
  quiet?: boolean;
}

/** Every name the service creates things under: one place, so tests and the probe config agree. */
export interface DemoNames {
  database: string;
  keyPrefix: string;
  /** `<keyPrefix>product:<id>`. */
  productKey(id: number | string): string;
  orderCreated: string;
  orderCreatedDlt: string;
  consumerGroup: string;
}

/** The development signing key of access tokens, used unless DEMO_JWT_SECRET says otherwise. */
export const DEV_JWT_SECRET = 'demo-only-signing-key-do-not-use-in-production';

/** Where a default instance keeps its things. */
const DEFAULT_NAMES = { database: 'probe_demo', keyPrefix: 'demo:', topicPrefix: 'demo.' };

/**
 * The names of a side-by-side instance: namespace `t1` → database `probe_demo_t1`,
 * keys `demo_t1:`, topics and group `demo_t1.` (tests, several demos on one set of services).
 */
export function namespaced(namespace: string | undefined): Pick<DemoOptions, 'database' | 'keyPrefix' | 'topicPrefix'> {
  if (!namespace) return {};
  if (!/^[a-z0-9_]{1,32}$/.test(namespace)) throw new Error(`a demo namespace is 1–32 of a-z, 0-9 and _, got "${namespace}"`);
  return { database: `probe_demo_${namespace}`, keyPrefix: `demo_${namespace}:`, topicPrefix: `demo_${namespace}.` };
}

/** The names an instance with these options uses. */
export function namesOf(options: Pick<DemoOptions, 'database' | 'keyPrefix' | 'topicPrefix'>): DemoNames {
  const { database, keyPrefix, topicPrefix } = { ...DEFAULT_NAMES, ...definedOnly(options) };
  return {
    database,
    keyPrefix,
    productKey: (id) => `${keyPrefix}product:${id}`,
    orderCreated: `${topicPrefix}order.created`,
    orderCreatedDlt: `${topicPrefix}order.created.DLT`,
    consumerGroup: `${topicPrefix}order-processor`,
  };
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<DemoOptions, 'paymentsUrl'>> & Pick<DemoOptions, 'paymentsUrl'>;

/** The options with every default filled in (an option given as undefined takes its default). */
export function resolveOptions(options: DemoOptions): ResolvedOptions {
  return { ...DEFAULT_NAMES, host: '127.0.0.1', port: 0, jwtSecret: DEV_JWT_SECRET, defects: NO_DEFECTS, quiet: false, ...definedOnly(options) };
}

function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}
