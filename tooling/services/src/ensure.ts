import { containerRuntimeMissing, startContainer, stopContainer } from './containers.ts';
import { DEFAULT_URLS, SERVICE_ENV, SERVICE_NAMES, isDefaultUrl, serviceUrls } from './env.ts';
import { withLock } from './lock.ts';
import { stateDir } from './paths.ts';
import { forgetOwnership, readOwnership, saveOwnership, stillOurs } from './ownership.ts';
import { processStartTime, terminate } from './process.ts';
import { stderrLog } from './report.ts';
import { SERVICES, type ServiceDefinition } from './services.ts';
import type { EnsureResult, LogLine, MissingService, Ownership, ServiceName, StartedService } from './types.ts';
import { errorMessage, pollUntil } from './wait.ts';

/** Options of `ensureServices`. */
export interface EnsureOptions {
  /** Start what does not answer (default true); false only checks. */
  start?: boolean;
  /** Where the URLs come from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Progress and diagnostics (default: stderr). */
  log?: LogLine;
  /** Bound on each readiness check of the fast path (default 2 s). */
  checkTimeoutMs?: number;
}

type Outcome = { name: ServiceName; url: string; started?: StartedService; missing?: MissingService };

/**
 * Makes sure each named service answers: checks them all at once (the fast
 * path: well under a second when all are up), then starts only the ones that
 * do not answer, under a lock so concurrent callers never start one twice.
 * A service whose variable points somewhere other than the local default is
 * only checked, never started.
 */
export async function ensureServices(
  names: readonly ServiceName[] = SERVICE_NAMES,
  options: EnsureOptions = {},
): Promise<EnsureResult> {
  const urls = serviceUrls(options.env);
  const log = options.log ?? stderrLog;
  const checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  const firstErrors = await Promise.all(names.map((name) => answers(SERVICES[name], urls[name], checkTimeoutMs)));
  const outcomes: Outcome[] = names.map((name) => ({ name, url: urls[name] }));
  const down = outcomes.filter((_, index) => firstErrors[index] !== undefined);

  if (down.length > 0 && options.start === false) {
    for (const outcome of down) {
      const why = errorMessage(firstErrors[names.indexOf(outcome.name)]);
      outcome.missing = missing(outcome.name, outcome.url, why, isDefaultUrl(outcome.name, outcome.url) ? 'not-started' : 'custom');
    }
  } else if (down.length > 0) {
    await withLock('up', 600_000, () =>
      Promise.all(
        down.map(async (outcome) => {
          Object.assign(outcome, await bringUp(SERVICES[outcome.name], outcome.url, firstErrors[names.indexOf(outcome.name)], log));
        }),
      ),
    );
  }

  const result: EnsureResult = { urls: {}, env: {}, missing: [], started: [] };
  for (const outcome of outcomes) {
    if (outcome.missing) {
      result.missing.push(outcome.missing);
      continue;
    }
    result.urls[outcome.name] = outcome.url;
    result.env[SERVICE_ENV[outcome.name]] = outcome.url;
    if (outcome.started) result.started.push(outcome.started);
  }
  return result;
}

/** undefined when the service answers, else the error. */
async function answers(service: ServiceDefinition, url: string, timeoutMs: number): Promise<unknown> {
  try {
    await service.check(url, timeoutMs);
    return undefined;
  } catch (error) {
    return error ?? new Error('check failed');
  }
}

async function bringUp(service: ServiceDefinition, url: string, firstError: unknown, log: LogLine): Promise<Partial<Outcome>> {
  const { name } = service;
  // Another caller may have started it while we waited for the lock.
  let error = await answers(service, url, 2_000);
  if (error === undefined) return {};
  if (service.repair && (await service.repair(url, error, 5_000).catch(() => false))) {
    log(`${name}: repaired (${errorMessage(error)})`);
    error = await answers(service, url, 2_000);
    if (error === undefined) return {};
  }
  if (!isDefaultUrl(name, url)) return { missing: missing(name, url, errorMessage(error ?? firstError), 'custom') };

  await dropStaleOwnership(name, log);
  const context = { name, url, log, timeoutMs: service.startTimeoutMs, ready: service.check };
  const started = Date.now();
  let record: Ownership;
  let via: StartedService['via'] = 'local';
  try {
    const localWhy = service.local.unavailable();
    if (localWhy === undefined) {
      log(`${name}: not answering (${errorMessage(error)}); starting it`);
      record = await service.local.start(context);
    } else {
      const runtimeWhy = await containerRuntimeMissing();
      if (runtimeWhy !== undefined) return { missing: missing(name, url, `${localWhy}; and ${runtimeWhy}`, 'unavailable') };
      via = 'container';
      record = await startContainer(context);
    }
  } catch (startError) {
    return { missing: missing(name, url, `it does not answer (${errorMessage(error)}) and starting it failed: ${errorMessage(startError)}`, 'failed') };
  }
  saveOwnership({ ...record, procStart: record.pid ? processStartTime(record.pid) : undefined });
  const answeredMs = Date.now() - started;
  let deepNote = '';
  if (service.deepCheck) {
    try {
      let attempts = 0;
      await pollUntil(() => (attempts++, service.deepCheck!(url, 15_000)), { what: `${name} full readiness`, timeoutMs: 45_000, intervalMs: 500 });
      deepNote = `, full check passed ${seconds(Date.now() - started - answeredMs)} later after ${attempts} attempt(s)`;
    } catch (deepError) {
      return { missing: missing(name, url, `it started but is not usable: ${errorMessage(deepError)}`, 'failed') };
    }
  }
  const ms = Date.now() - started;
  const where = via === 'local' ? `pid ${record.pid ?? '?'}` : `container ${record.containerId?.slice(0, 12)}`;
  log(`${name}: up after ${seconds(ms)} (${where}; answering after ${seconds(answeredMs)}${deepNote})`);
  return { started: { name, via, ms } };
}

/** A recorded service of ours that is alive but not answering is hung: stop it before starting anew. */
async function dropStaleOwnership(name: ServiceName, log: LogLine): Promise<void> {
  const record = readOwnership(name);
  if (!record) return;
  if (stillOurs(record)) {
    log(`${name}: the instance probe started does not answer; stopping it first`);
    if (record.kind === 'container' && record.containerId) await stopContainer(record.containerId).catch(() => {});
    if (record.kind === 'process' && record.pid) await terminate(record.pid, record.stopSignal ?? 'SIGTERM', 20_000);
  }
  forgetOwnership(name);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Why a service is missing decides what to tell the person. */
type MissingKind = 'custom' | 'unavailable' | 'failed' | 'not-started';

function missing(name: ServiceName, url: string, why: string, kind: MissingKind): MissingService {
  const env = SERVICE_ENV[name];
  const { label, install } = SERVICES[name];
  const elsewhere = `or set ${env} to a ${label} you run`;
  const hints: Record<MissingKind, string> = {
    custom: `start the ${label} that ${env}=${url} names, or unset ${env} so that \`pnpm services:up\` starts a local one on ${DEFAULT_URLS[name]}`,
    unavailable: `install ${label} (Debian: ${install}) and run \`pnpm services:up\` again; or run a Docker engine so testcontainers can start it; ${elsewhere}`,
    failed: `fix the cause above (logs: ${stateDir()}/${name}.log), then run \`pnpm services:up\` again; ${elsewhere}`,
    'not-started': `run \`pnpm services:up\`; ${elsewhere}`,
  };
  return { name, env, why, hint: hints[kind] };
}
