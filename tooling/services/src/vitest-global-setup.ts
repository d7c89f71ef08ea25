import type { TestProject } from 'vitest/node';
import { ensureServices } from './ensure.ts';
import { SERVICE_NAMES } from './env.ts';
import { ignoreKafkajsTimeoutWarning } from './node-warnings.ts';
import { describeMissing, isCI, printMissingOnce } from './report.ts';
import type { MissingService, ServiceName } from './types.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** What the services global setup found: URLs of those up, and why the others are missing. */
    probeServices: { urls: Partial<Record<ServiceName, string>>; missing: MissingService[] };
  }
}

/**
 * A vitest `globalSetup` that makes sure `names` are up (starting what is
 * missing unless `PROBE_SERVICES_START=0`), puts their URLs in `process.env`
 * (workers inherit it) and `provide('probeServices')`, and removes the
 * variable of each missing service so `serviceUrl(name)` is undefined and
 * tests skip. Under CI a missing service fails the run instead; outside CI
 * the reason is printed once.
 */
export function servicesGlobalSetup(names: readonly ServiceName[] = SERVICE_NAMES) {
  return async function setup(project: TestProject): Promise<void> {
    ignoreKafkajsTimeoutWarning();
    const result = await ensureServices(names, { start: process.env.PROBE_SERVICES_START !== '0' });
    Object.assign(process.env, result.env);
    if (result.missing.length > 0) {
      if (isCI()) throw new Error(describeMissing(result.missing, 'under CI=true this fails the run'));
      for (const service of result.missing) delete process.env[service.env];
      printMissingOnce(result.missing);
    }
    project.provide('probeServices', { urls: result.urls, missing: result.missing });
  };
}

/** The global setup for all five services: `globalSetup: ['<path>/vitest-global-setup.ts']`. */
export default servicesGlobalSetup();
