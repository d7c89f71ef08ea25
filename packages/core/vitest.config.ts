import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../tooling/config/vitest.ts';

// The system checks' tests (src/system) run against real PostgreSQL and Redis; the global
// setup asks tooling/services for those two alone (not `services: true`, which brings up all five).
export default mergeConfig(
  packageTests({ coverage: { lines: 95, functions: 93, branches: 85, statements: 95 } }),
  { test: { globalSetup: ['./test/services.global-setup.ts'] } },
);
