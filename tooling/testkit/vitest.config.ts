import { packageTests } from '../../tooling/config/vitest.ts';

export default packageTests({ coverage: { lines: 85, functions: 85, branches: 55, statements: 85 } });
