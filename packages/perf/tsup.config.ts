import { packageBuild } from '../../tooling/config/tsup.ts';

export default packageBuild({ index: 'src/index.ts', testing: 'src/testing/index.ts' });
