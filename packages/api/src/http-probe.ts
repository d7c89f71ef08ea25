import { parseOptions, type Check, type ConfigIssue, type Probe } from '@probe/core';
import { contractCheck } from './checks/contract.ts';
import { contentTypeCheck } from './checks/content-type.ts';
import { errorHandlingCheck } from './checks/error-handling.ts';
import { headersCheck } from './checks/headers.ts';
import { latencyCheck } from './checks/latency.ts';
import { permissionsCheck } from './checks/permissions.ts';
import { rateLimitCheck } from './checks/ratelimit.ts';
import { reachableCheck } from './checks/reachable.ts';
import { authRequiredCheck } from './checks/auth-required.ts';
import { responseSchemaCheck } from './checks/response-schema.ts';
import { roundtripCheck } from './checks/roundtrip.ts';
import { sessionsCheck } from './checks/sessions.ts';
import { statusCodesCheck } from './checks/status-codes.ts';
import { tlsCheck } from './checks/tls.ts';
import { tokensCheck } from './checks/tokens.ts';
import { validationCheck } from './checks/validation.ts';
import { webhooksCheck } from './checks/webhooks.ts';
import { httpOptionsSchema, resolveOptions, secretsOf } from './options.ts';
import { closeResources, openResources, type ApiResources } from './resources.ts';
import type { HttpOptions } from './types.ts';

/**
 * A probe of one HTTP API: endpoints against the OpenAPI spec (or declared endpoints),
 * authentication and authorization, data flow, rate limits, webhooks, breaking changes
 * and TLS. Invalid options yield a probe whose `issues` name the fields; it runs nothing.
 */
export function http(options: HttpOptions): Probe<ApiResources> {
  const input = options as Partial<HttpOptions> | undefined;
  const target = { kind: 'http', name: input?.name ?? hostOf(input?.baseUrl) ?? 'api', ...(typeof input?.baseUrl === 'string' ? { url: input.baseUrl } : {}) };
  const parsed = parseOptions(httpOptionsSchema, options);
  const issues = parsed.ok ? crossFieldIssues(parsed.value as HttpOptions) : parsed.issues;
  if (!parsed.ok || issues.length > 0) return { target, checks: [], issues };
  const resolved = resolveOptions(parsed.value as HttpOptions);
  const checks: Check<ApiResources>[] = [
    reachableCheck(resolved), statusCodesCheck(resolved), responseSchemaCheck(resolved), contentTypeCheck(resolved),
    headersCheck(resolved), errorHandlingCheck(resolved), latencyCheck(resolved),
    authRequiredCheck(resolved), tokensCheck(resolved), permissionsCheck(resolved), sessionsCheck(resolved),
    roundtripCheck(resolved), validationCheck(resolved),
    webhooksCheck(resolved), contractCheck(resolved), tlsCheck(resolved),
    rateLimitCheck(resolved),   // last: a burst that trips the limit must not disturb the other checks
  ];
  return {
    target,
    checks,
    secrets: secretsOf(resolved),
    setup: (context) => openResources(resolved, context),
    teardown: (context, resources) => closeResources(resources, context),
  };
}

/** Problems that span fields: users named in rules must exist, sessions need a login. */
function crossFieldIssues(options: HttpOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const users = new Set(Object.keys(options.users ?? {}));
  const known = (name: string) => name === 'anonymous' || name === 'default' || users.has(name);
  const list = users.size > 0 ? [...users].join(', ') : 'none';
  options.permissions?.rules?.forEach((rule, index) => {
    if (!known(rule.user)) issues.push({ path: `permissions.rules[${index}].user`, message: `unknown user "${rule.user}"; \`users\` has ${list}` });
  });
  for (const role of ['owner', 'intruder'] as const) {
    const name = options.permissions?.crossUser?.[role];
    if (name !== undefined && !known(name)) issues.push({ path: `permissions.crossUser.${role}`, message: `unknown user "${name}"; \`users\` has ${list}` });
  }
  if (options.sessions) {
    const user = options.sessions.user;
    if (user !== undefined && !users.has(user)) issues.push({ path: 'sessions.user', message: `unknown user "${user}"; \`users\` has ${list}` });
    const auth = user ? options.users?.[user] : options.auth;
    if (auth && auth.type !== 'login') issues.push({ path: user ? `users.${user}.type` : 'auth.type', message: `expected "login" for session checks, got "${auth.type}"` });
    if (!auth) issues.push({ path: 'sessions', message: 'needs a `login` auth (in `auth`, or the user named by `sessions.user`)' });
  }
  if (options.rateLimit?.user !== undefined && !users.has(options.rateLimit.user)) {
    issues.push({ path: 'rateLimit.user', message: `unknown user "${options.rateLimit.user}"; \`users\` has ${list}` });
  }
  if (options.contract && !options.openapi) issues.push({ path: 'contract', message: 'needs `openapi` (the current version to compare with `previous`)' });
  return issues;
}

function hostOf(url: unknown): string | undefined {
  try {
    return typeof url === 'string' ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}
