import pkg from '../package.json' with { type: 'json' };

/** The version of @probe/api, sent as `User-Agent: probe/<version>`. */
export const VERSION: string = pkg.version;
