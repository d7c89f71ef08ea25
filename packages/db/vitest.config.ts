import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../tooling/config/vitest.ts';

// Only PostgreSQL is needed, so this package's global setup asks tooling/services for `pg` alone
// (instead of `services: true`, which brings up all five), then starts a private password-enforcing cluster.
// The tests mostly wait on the server, so two files run at once even on 2 cores.
export default mergeConfig(packageTests({ coverage: { lines: 92, functions: 88, branches: 74, statements: 88 } }), {
  test: {
    globalSetup: [new URL('./test/global-setup.ts', import.meta.url).pathname],
    maxWorkers: 2,
    isolate: false,
  },
});
