import type { CheckContext, ProbeContext } from '@probe/core';
import { createClient, type HttpClient } from './client/client.ts';
import { createIdentity, type Identity } from './auth/identity.ts';
import { createRegistry, type CreatedRegistry } from './cases/created.ts';
import { runSweep, type Sweep } from './cases/sweep.ts';
import type { ResolvedOptions } from './options.ts';
import { declaredOperations, loadSpec, type ApiSpec, type Operation } from './spec/operations.ts';
import { createValidator, type SchemaValidator } from './spec/validator.ts';

/** What the probe's setup opens and every check shares. */
export interface ApiResources {
  options: ResolvedOptions;
  runId: string;
  client: HttpClient;
  spec?: ApiSpec;
  /** The operations to exercise: the spec's and the declared ones, filtered, at most `maxOperations`. */
  operations: Operation[];
  /** Operations left out by `limits.maxOperations`. */
  overLimit: string[];
  validator: SchemaValidator;
  /** `default` (the `auth` option) and every name of `users`. */
  identities: Map<string, Identity>;
  /** Resources this run created; deleted at teardown. */
  registry: CreatedRegistry;
  /** The positive sweep over every operation, run once and shared by the endpoint checks. */
  sweep(context: CheckContext<ApiResources>): Promise<Sweep>;
  /**
   * Login, refresh and logout paths: left out of generated traffic (a generated logout would
   * end the session every later request relies on); the auth checks exercise them.
   */
  isAuthFlow(path: string): boolean;
  /** Extra teardown steps (webhook subscriptions, receivers). */
  cleanups: ((signal: AbortSignal) => Promise<void>)[];
}

/** Setup: the client, the spec, the identities. */
export async function openResources(options: ResolvedOptions, context: ProbeContext): Promise<ApiResources> {
  const client = createClient({
    baseUrl: options.baseUrl, runId: context.runId, ...(options.headers ? { headers: options.headers } : {}),
    requestTimeoutMs: options.limits.requestTimeoutMs, connectTimeoutMs: options.limits.connectTimeoutMs,
    maxBodyBytes: options.limits.maxBodyBytes, ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
  });
  try {
    const spec = options.openapi ? await loadSpec(options.openapi, { signal: context.signal }) : undefined;
    const declared = declaredOperations(options.endpoints ?? [], !!options.auth);
    const declaredKeys = new Set(declared.map((operation) => operation.key));
    const all = [...(spec?.operations ?? []).filter((operation) => !declaredKeys.has(operation.key)), ...declared].filter(selector(options));
    const identities = new Map<string, Identity>();
    if (options.auth) identities.set('default', createIdentity('default', options.auth, client));
    for (const [name, auth] of Object.entries(options.users ?? {})) identities.set(name, createIdentity(name, auth, client));
    let memo: Promise<Sweep> | undefined;
    const resources: ApiResources = {
      options, runId: context.runId, client, ...(spec ? { spec } : {}),
      operations: all.slice(0, options.limits.maxOperations),
      overLimit: all.slice(options.limits.maxOperations).map((operation) => operation.key),
      validator: createValidator(),
      identities,
      registry: createRegistry(),
      cleanups: [],
      isAuthFlow: authFlowPaths(options),
      sweep(check) {
        // Shared by the endpoint checks; a sweep cut short by its check's deadline is redone by the next one.
        memo ??= runSweep(resources, check).catch((error: unknown) => {
          memo = undefined;
          throw error;
        });
        return memo;
      },
    };
    return resources;
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** Teardown: delete what the run created, run extra cleanups, close the client. */
export async function closeResources(resources: ApiResources | undefined, context: ProbeContext): Promise<void> {
  if (!resources) return;
  try {
    for (const cleanup of resources.cleanups.reverse()) await cleanup(context.signal).catch((error: unknown) => context.log.warn(`cleanup failed: ${(error as Error).message}`));
    const left = await resources.registry.cleanup(resources.client, context.signal);
    for (const line of left) context.log.warn(`left behind by run ${context.runId}: ${line}`);
  } finally {
    await resources.client.close();
  }
}

function selector(options: ResolvedOptions): (operation: Operation) => boolean {
  const include = options.operations?.include;
  const exclude = options.operations?.exclude;
  const matches = (patterns: string[], operation: Operation) => patterns.some((pattern) => {
    const source = pattern.replace(/[.+^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    const regex = new RegExp('^' + source + '$', 'i');
    return regex.test(operation.key) || (!!operation.operationId && regex.test(operation.operationId));
  });
  return (operation) => (!include || matches(include, operation)) && !(exclude && matches(exclude, operation));
}

function authFlowPaths(options: ResolvedOptions): (path: string) => boolean {
  const paths = new Set<string>();
  for (const auth of [options.auth, ...Object.values(options.users ?? {})]) {
    if (auth?.type === 'login') {
      paths.add(auth.path);
      if (auth.refreshPath) paths.add(auth.refreshPath);
    }
  }
  if (options.sessions?.logout) paths.add(options.sessions.logout.split(' ')[1]!);
  return (path) => paths.has(path) || /\/(log-?out|sign-?out|revoke|logoff)(\/|$)/i.test(path);
}
