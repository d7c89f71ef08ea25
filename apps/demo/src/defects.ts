/**
 * The defects `--defects` (or `DEMO_DEFECTS=1`) switches on: each is a real bug
 * a team could ship, and each is caught by a probe check (see the README).
 */
export interface Defects {
  /** The migration that indexes `order_items.product_id` is never applied. */
  missingForeignKeyIndex: boolean;
  /** Updating a product (PATCH, an order's stock change) leaves its cache entry in place. */
  staleProductCache: boolean;
  /** A request body that is not JSON ends in a 500 instead of a 400. */
  badJsonIs500: boolean;
  /** The consumer drops a message it cannot parse instead of sending it to the dead-letter topic. */
  dropsPoisonMessages: boolean;
  /** The payment client retries 4xx answers (a declined card, a bad request) as if they were transient. */
  retriesClientErrors: boolean;
}

export const NO_DEFECTS: Defects = {
  missingForeignKeyIndex: false, staleProductCache: false, badJsonIs500: false, dropsPoisonMessages: false, retriesClientErrors: false,
};

export const ALL_DEFECTS: Defects = {
  missingForeignKeyIndex: true, staleProductCache: true, badJsonIs500: true, dropsPoisonMessages: true, retriesClientErrors: true,
};

/** All defects on with `--defects` or `DEMO_DEFECTS=1` (or `true`), none otherwise. */
export function defectsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Defects {
  const on = argv.includes('--defects') || /^(1|true|yes)$/i.test(env.DEMO_DEFECTS ?? '');
  return on ? ALL_DEFECTS : NO_DEFECTS;
}
