import { packageTests } from '../../tooling/config/vitest.ts';

export default packageTests({ coverage: { lines: 92, functions: 90, branches: 75, statements: 90 }, services: true });
