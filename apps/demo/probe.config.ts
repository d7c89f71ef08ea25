/**
 * The demo's probe config: every package against the demo order service.
 * `pnpm demo` starts the service and runs this; see apps/demo/README.md.
 * The probes are built in apps/demo/probes/, one file per system.
 */
import { defineConfig, type Config } from '@probe/core';
import { DEMO_USERS } from './src/db/seed.ts';
import { apiProbe } from './probes/api.ts';
import { cacheProbe } from './probes/cache.ts';
import { databaseProbe } from './probes/database.ts';
import { cacheExperiment } from './probes/experiment.ts';
import { paymentProbes } from './probes/payments.ts';
import { perfProbe } from './probes/perf.ts';
import { queueProbe } from './probes/queue.ts';
import { openStores } from './probes/stores.ts';
import { systemProbe } from './probes/system.ts';
import { targetsFromEnv, type DemoTargets } from './probes/targets.ts';

/** The config for a demo service at `targets`. */
export function demoConfig(targets: DemoTargets): Config {
  const stores = openStores(targets);
  return defineConfig({
    concurrency: 8,
    secrets: [targets.jwtSecret, ...Object.values(DEMO_USERS).map((user) => user.password)],
    probes: [
      databaseProbe(targets), cacheProbe(targets, stores), queueProbe(targets, stores), apiProbe(targets), systemProbe(targets, stores),
      perfProbe(targets), ...paymentProbes(targets), ...cacheExperiment(targets),
    ],
  });
}

export default () => demoConfig(targetsFromEnv());
