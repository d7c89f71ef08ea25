import { packageTests } from '../../tooling/config/vitest.ts';

export default packageTests({ coverage: { lines: 94, functions: 92, branches: 82, statements: 90 }, services: true });
