import { mergeConfig } from 'vitest/config';
import { packageTests } from '../config/vitest.ts';

// The shared test policy with this package's global setup (`services: true`: starts what is
// missing; under CI fails if it cannot) and the kafkajs warning filter in the workers.
// The coverage floor sits a little under what the in-process tests reach: the CLI's own
// runs are child processes and the global setup runs outside the workers, so neither counts.
export default mergeConfig(
  packageTests({ coverage: { lines: 45, functions: 45, branches: 33, statements: 45 }, services: true }),
  { test: { hookTimeout: 60_000, setupFiles: ['./src/test-setup.ts'] } },
);
