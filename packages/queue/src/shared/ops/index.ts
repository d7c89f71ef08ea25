import type { Check } from '@probe/core';
import { consumeCheck } from './consume.ts';
import { orderingCheck } from './ordering.ts';
import { persistenceCheck } from './persistence.ts';
import { publishCheck } from './publish.ts';
import type { OpsConfig, OpsResources } from './resources.ts';
import { throughputCheck } from './throughput.ts';

export type { Extension, OpsConfig, OpsResources } from './resources.ts';

/** The five shared operations checks, in run order, for any driver. */
export function opsChecks<R extends OpsResources>(config: OpsConfig<R>): Check<R>[] {
  return [publishCheck(config), consumeCheck(config), orderingCheck(config), persistenceCheck(config), throughputCheck(config)];
}
