import { packageTests } from '../../tooling/config/vitest.ts';

export default packageTests({ coverage: { lines: 90, functions: 85, branches: 70, statements: 85 } });
