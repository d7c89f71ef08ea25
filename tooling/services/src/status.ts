import { SERVICE_ENV, SERVICE_NAMES, serviceUrls } from './env.ts';
import { readOwnership, stillOurs } from './ownership.ts';
import { SERVICES } from './services.ts';
import type { ServiceName, ServiceStatus } from './types.ts';
import { errorMessage } from './wait.ts';

/** Checks each service (never starts anything) and says whether this package started it. */
export async function serviceStatus(names: readonly ServiceName[] = SERVICE_NAMES, env: NodeJS.ProcessEnv = process.env): Promise<ServiceStatus[]> {
  const urls = serviceUrls(env);
  return Promise.all(
    names.map(async (name): Promise<ServiceStatus> => {
      const record = readOwnership(name);
      const owned = record && stillOurs(record) ? record : undefined;
      const base = { name, env: SERVICE_ENV[name], url: urls[name], ...(owned ? { owned } : {}) };
      try {
        await SERVICES[name].check(urls[name], 2_000);
        return { ...base, up: true };
      } catch (error) {
        return { ...base, up: false, error: errorMessage(error) };
      }
    }),
  );
}
