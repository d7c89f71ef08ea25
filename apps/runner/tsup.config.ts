import { packageBuild } from '../../tooling/config/tsup.ts';

// A bin, not a library: no d.ts. tsup keeps the entry's shebang and marks the file executable.
export default packageBuild({ cli: 'src/cli.ts' }, { dts: false });
