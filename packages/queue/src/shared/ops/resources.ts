import type { CheckContext } from '@probe/core';
import type { QueueDriver, Subscription } from '../driver.ts';
import type { Finding } from '../verdict.ts';
import type { Tracker } from '../tracker.ts';
import type { OpsOptions, OpsThresholds } from '../options.ts';

/** What every probe's resources offer the shared operations checks. */
export interface OpsResources {
  driver: QueueDriver;
  tracker: Tracker;
}

/**
 * Driver-specific additions to a shared check: more findings and evidence from
 * the broker's own view; undefined when there is nothing to add (nothing declared).
 */
export type Extension<R> = (context: CheckContext<R>) => Promise<{ findings: Finding[]; evidence: Record<string, unknown>; passText: string } | undefined>;

/** What the shared operations checks are built from. */
export interface OpsConfig<R> {
  ops: OpsOptions;
  thresholds: OpsThresholds;
  /** Kafka adds key-to-partition affinity of declared keyed topics. */
  ordering?: Extension<R>;
  /** Kafka adds the durability settings of declared topics. */
  persistence?: Extension<R>;
}

const shared = new WeakMap<QueueDriver, Promise<{ destination: string; subscription: Subscription }>>();

/**
 * The consumer of the `ops` destination, shared by consume and ordering (one
 * group join instead of two); drivers close every subscription at teardown.
 */
export function opsSubscription(resources: OpsResources, signal: AbortSignal): Promise<{ destination: string; subscription: Subscription }> {
  let entry = shared.get(resources.driver);
  if (!entry) {
    entry = (async () => {
      const destination = await resources.driver.destination('ops', signal);
      const subscription = await resources.driver.subscribe(destination, 'ops', signal);
      return { destination, subscription };
    })();
    shared.set(resources.driver, entry);
  }
  return entry;
}
