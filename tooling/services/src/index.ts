export { ensureServices, type EnsureOptions } from './ensure.ts';
export { DEFAULT_URLS, SERVICE_ENV, SERVICE_NAMES, kafkaBrokers, serviceUrl, serviceUrls } from './env.ts';
export { ignoreKafkajsTimeoutWarning } from './node-warnings.ts';
export { describeMissing, formatEnvLines, isCI, parseEnvLines, printMissingOnce } from './report.ts';
export { serviceStatus } from './status.ts';
export { stopServices } from './stop.ts';
export type { EnsureResult, LogLine, MissingService, Ownership, ServiceName, ServiceStatus, StartedService } from './types.ts';
export { servicesGlobalSetup } from './vitest-global-setup.ts';
