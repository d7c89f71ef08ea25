import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../tooling/config/vitest.ts';

// Files run one after another: the load tests measure time, and two of them at once on 2 cores would measure each other.
export default mergeConfig(packageTests({ coverage: { lines: 93, functions: 91, branches: 80, statements: 91 } }), {
  test: { fileParallelism: false },
});
