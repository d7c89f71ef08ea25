import pkg from '../package.json' with { type: 'json' };

/** The version of @probe/runner (`probe --version`). */
export const VERSION: string = pkg.version;
