import { packageTests } from '../../tooling/config/vitest.ts';

// The service and the config run against the real PostgreSQL, Redis and Kafka (services: true);
// the two whole-config runs take 6-9 s each and say so (30 s bounds), every other test is under 2 s.
// Floor = what the suite reaches (lines 91, statements 87, functions 88, branches 70), less ~3:
// the child process of test/main.test.ts (src/main.ts) is invisible to this process's coverage.
export default packageTests({ coverage: { lines: 88, functions: 85, branches: 66, statements: 84 }, services: true });
