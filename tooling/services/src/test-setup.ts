import { ignoreKafkajsTimeoutWarning } from './node-warnings.ts';

ignoreKafkajsTimeoutWarning();
