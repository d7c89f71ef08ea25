import { isProbeError, messageOf, type Check } from '@probe/core';
import type { Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { authorize, type Identity } from '../auth/identity.ts';
import { decodeJwt, signJwt, unsignedJwt } from '../auth/jwt.ts';
import type { SweepEntry } from '../cases/sweep.ts';
import { isSafe, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { listed, skipped } from './report.ts';
import { fewRequestsTimeout } from './timeouts.ts';

interface Finding {
  severity: 'fail' | 'warn';
  problem: string;
  exchange?: Exchange;
}

/** Operations tried per identity before its token is judged unconfirmed. */
const MAX_TRIES = 5;

/**
 * `api.auth.tokens`: every identity's token acquisition works (static, OAuth2 client
 * credentials, login) and its token is accepted; refresh yields a working token; JWT hygiene:
 * not `alg: none`, `exp` present, a bounded lifetime, and expired or unsigned tokens refused.
 * Each identity is verified on the first secured safe operation (by key) it may call: a 403
 * is an accepted token without the permission, only a 401 is a refused token.
 */
export function tokensCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.auth.tokens',
    title: 'Tokens are acquired, refreshed and verified properly',
    checklist: ['integration.api.authentication.verify-tokens', 'integration.api.authentication.test-auth-flows', 'integration.external.third-party-services.verify-authentication'],
    timeoutMs: fewRequestsTimeout(options, 12),
    async run(context) {
      const { resources } = context;
      if (resources.identities.size === 0) return skipped('no `auth` or `users` configured');
      const sweep = await resources.sweep(context);
      const candidates = sweep.entries
        .filter((entry) => entry.operation.secured && isSafe(entry.operation) && (entry.exchange.response?.status ?? 500) < 300)
        .sort((a, b) => (a.operation.key < b.operation.key ? -1 : a.operation.key > b.operation.key ? 1 : 0))
        .slice(0, MAX_TRIES);
      const verifiedAgainst: Record<string, string> = {};
      const findings: Finding[] = [];
      const acquired: Record<string, unknown> = {};
      // JWT hygiene once, for the identity every other check uses.
      const main = resources.identities.get('default') ?? [...resources.identities.values()][0]!;
      for (const identity of resources.identities.values()) {
        const started = performance.now();
        try {
          const acquisition = await identity.acquire(context.signal);
          acquired[identity.name] = { type: identity.options.type, ms: Math.round(performance.now() - started), ...(acquisition.expiresAt ? { expiresInS: Math.round((acquisition.expiresAt - Date.now()) / 1000) } : {}) };
        } catch (error) {
          if (!isProbeError(error)) throw error;
          const exchange = (error as { exchange?: Exchange }).exchange;
          findings.push({ severity: 'fail', problem: `${identity.name}: ${messageOf(error)}`, ...(exchange ? { exchange } : {}) });
          continue;
        }
        if (candidates.length === 0) continue;
        const verified = await operationFor(context, identity, candidates);
        if ('problem' in verified) {
          findings.push(verified.problem);
          continue;
        }
        verifiedAgainst[identity.name] = verified.entry.operation.key;
        findings.push(...await tokenHygiene(context, identity, verified.entry, options, identity === main));
      }
      const evidence: Record<string, unknown> = {
        identities: acquired,
        findings: findings.map(({ exchange, ...finding }) => ({ ...finding, ...(exchange ? describeExchange(exchange, context.redact) : {}) })),
        ...(candidates.length > 0 ? { verifiedAgainst } : { note: 'no secured safe operation answered 2xx in the sweep: tokens were acquired but not tried' }),
        ...(!options.jwt?.expiredToken && !options.jwt?.signingKey ? { expiredTokens: 'not tested: set `jwt.expiredToken` or `jwt.signingKey`' } : {}),
      };
      const failing = findings.filter((finding) => finding.severity === 'fail');
      if (failing.length > 0) return { status: 'fail', summary: `${listed(failing.map((finding) => finding.problem), 2)}`, evidence };
      const warnings = findings.filter((finding) => finding.severity === 'warn');
      if (warnings.length > 0) return { status: 'warn', summary: listed(warnings.map((finding) => finding.problem), 2), evidence };
      if (candidates.length === 0) return { status: 'warn', summary: `${Object.keys(acquired).length} identities acquired tokens, but no secured operation could confirm them`, evidence };
      const jwtNote = decodeJwt(main.current?.token ?? '') ? '; JWT: signed, expiring, unsigned copies refused' : ' (opaque tokens: JWT rules not applicable)';
      return { status: 'pass', summary: `${Object.keys(acquired).length} identities acquired working tokens${jwtNote}`, evidence };
    },
  };
}

/**
 * The first candidate operation this identity's token gets a 2xx from. A 401 is a refused token (fail); other
 * 4xx (403, or a 404 that hides another's resource) mean the token was taken but this operation is not for this
 * identity: the next is tried, and when none is left the token is accepted but unverified (warn: its hygiene
 * cannot be tried); a 5xx or no answer leaves the token unconfirmed (fail).
 */
async function operationFor(context: ApiContext, identity: Identity, candidates: readonly SweepEntry[]): Promise<{ entry: SweepEntry } | { problem: Finding }> {
  const token = identity.current!.token;
  let last: { entry: SweepEntry; exchange: Exchange } | undefined;
  for (const entry of candidates) {
    const exchange = await context.resources.client.send(authorize(entry.case.send, identity.withToken(token)), context.signal);
    const status = exchange.response?.status ?? 0;
    if (status >= 200 && status < 300) return { entry };
    if (status === 401) return { problem: { severity: 'fail', problem: `${identity.name}: the acquired token is refused by ${entry.operation.key} (401)`, exchange } };
    last = { entry, exchange };
    if (status < 400 || status >= 500) break;
  }
  const status = last!.exchange.response?.status;
  if (status !== undefined && status >= 400 && status < 500) {
    const tried = candidates.map((entry) => entry.operation.key).join(', ');
    return { problem: { severity: 'warn', problem: `${identity.name}: the token is taken but no operation tried is for it (${tried}: 4xx), so its expiry and signature checks were not tried`, exchange: last!.exchange } };
  }
  const answer = status === undefined ? 'no answer' : `${status}`;
  return { problem: { severity: 'fail', problem: `${identity.name}: the acquired token could not be confirmed: ${last!.entry.operation.key} answered ${answer}`, exchange: last!.exchange } };
}

async function tokenHygiene(context: ApiContext, identity: Identity, probe: SweepEntry, options: ResolvedOptions, jwtRules: boolean): Promise<Finding[]> {
  const findings: Finding[] = [];
  const tryToken = async (value: string) => context.resources.client.send(authorize(probe.case.send, identity.withToken(value)), context.signal);

  if (identity.options.type === 'oauth2' || (identity.options.type === 'login' && (identity.current?.expiresAt || identity.options.refreshPath))) {
    try {
      const refreshed = await identity.refresh(context.signal);
      const again = await tryToken(refreshed.token);
      if ((again.response?.status ?? 500) >= 300) findings.push({ severity: 'fail', problem: `${identity.name}: the refreshed token is refused`, exchange: again });
    } catch (error) {
      if (!isProbeError(error)) throw error;
      findings.push({ severity: 'fail', problem: `${identity.name}: refresh failed: ${messageOf(error)}`, ...((error as { exchange?: Exchange }).exchange ? { exchange: (error as { exchange?: Exchange }).exchange! } : {}) });
    }
  }

  const jwt = decodeJwt(identity.current!.token);
  if (!jwt || !jwtRules) return findings;
  const alg = String(jwt.header.alg);
  if (alg.toLowerCase() === 'none') findings.push({ severity: 'fail', problem: `${identity.name}: token is signed with alg "none"` });
  const exp = jwt.payload.exp;
  if (typeof exp !== 'number') findings.push({ severity: 'fail', problem: `${identity.name}: token has no exp claim (it never expires)` });
  else {
    const issued = typeof jwt.payload.iat === 'number' ? jwt.payload.iat : Date.now() / 1000;
    const lifetime = exp - issued;
    const max = options.jwt?.maxLifetimeSeconds ?? 86_400;
    if (lifetime > max) findings.push({ severity: 'warn', problem: `${identity.name}: token lives ${Math.round(lifetime)} s, over ${max} s` });
  }
  const unsigned = await tryToken(unsignedJwt(jwt.payload));
  if ((unsigned.response?.status ?? 500) < 300) findings.push({ severity: 'fail', problem: `${identity.name}: an unsigned (alg "none") copy of the token is accepted`, exchange: unsigned });
  const expired = options.jwt?.expiredToken
    ?? (options.jwt?.signingKey ? signJwt({ ...jwt.payload, iat: now() - 7_200, exp: now() - 3_600 }, options.jwt.signingKey.algorithm, options.jwt.signingKey.secret) : undefined);
  if (expired) {
    const answer = await tryToken(expired);
    if ((answer.response?.status ?? 500) < 300) findings.push({ severity: 'fail', problem: `${identity.name}: an expired token is accepted`, exchange: answer });
  }
  return findings;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
