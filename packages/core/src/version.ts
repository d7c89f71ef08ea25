import pkg from '../package.json' with { type: 'json' };

/** The version of @probe/core, stamped into every `run-start` event. */
export const VERSION: string = pkg.version;
