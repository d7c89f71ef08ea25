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

/**
 * `api.auth.tokens`: every identity's token acquisition works (static, OAuth2 client
 * credentials, login) and its token is accepted; refresh yields a working token; JWT hygiene:
 * not `alg: none`, `exp` present, a bounded lifetime, and expired or unsigned tokens refused.
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
      const probe = sweep.entries.find((entry) => entry.operation.secured && isSafe(entry.operation) && (entry.exchange.response?.status ?? 500) < 300);
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
        if (probe) findings.push(...await tokenHygiene(context, identity, probe, options, identity === main));
      }
      const evidence: Record<string, unknown> = {
        identities: acquired,
        findings: findings.map(({ exchange, ...finding }) => ({ ...finding, ...(exchange ? describeExchange(exchange, context.redact) : {}) })),
        ...(probe ? { verifiedAgainst: probe.operation.key } : { note: 'no secured safe operation answered 2xx in the sweep: tokens were acquired but not tried' }),
        ...(!options.jwt?.expiredToken && !options.jwt?.signingKey ? { expiredTokens: 'not tested: set `jwt.expiredToken` or `jwt.signingKey`' } : {}),
      };
      const failing = findings.filter((finding) => finding.severity === 'fail');
      if (failing.length > 0) return { status: 'fail', summary: `${listed(failing.map((finding) => finding.problem), 2)}`, evidence };
      const warnings = findings.filter((finding) => finding.severity === 'warn');
      if (warnings.length > 0) return { status: 'warn', summary: listed(warnings.map((finding) => finding.problem), 2), evidence };
      if (!probe) return { status: 'warn', summary: `${Object.keys(acquired).length} identities acquired tokens, but no secured operation could confirm them`, evidence };
      const jwtNote = decodeJwt(main.current?.token ?? '') ? '; JWT: signed, expiring, unsigned copies refused' : ' (opaque tokens: JWT rules not applicable)';
      return { status: 'pass', summary: `${Object.keys(acquired).length} identities acquired working tokens${jwtNote}`, evidence };
    },
  };
}

async function tokenHygiene(context: ApiContext, identity: Identity, probe: SweepEntry, options: ResolvedOptions, jwtRules: boolean): Promise<Finding[]> {
  const findings: Finding[] = [];
  const token = identity.current!.token;
  const tryToken = async (value: string) => context.resources.client.send(authorize(probe.case.send, identity.withToken(value)), context.signal);
  const works = await tryToken(token);
  if ((works.response?.status ?? 500) >= 300) findings.push({ severity: 'fail', problem: `${identity.name}: the acquired token is refused by ${probe.operation.key}`, exchange: works });

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
