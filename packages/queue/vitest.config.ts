import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../tooling/config/vitest.ts';

export default mergeConfig(
  packageTests({ coverage: { lines: 93, functions: 86, branches: 73, statements: 89 }, services: true }),
  {
    test: {
      // kafkajs 2.2.4 sets negative timeouts; Node 24 warns on each (harmless): hidden in tests, see the README.
      setupFiles: [new URL('../../tooling/services/src/test-setup.ts', import.meta.url).pathname],
      // The tests wait on brokers, not on the CPU: 4 files at a time take 23 s on 2 cores instead of 74 s.
      // Each test owns its topics, queues and streams, so files do not see each other's.
      maxWorkers: 4,
    },
  },
);
