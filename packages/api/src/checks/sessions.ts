import type { Check } from '@probe/core';
import type { Exchange, SendOptions } from '../client/client.ts';
import { setCookies, type Cookie } from '../client/cookies.ts';
import { describeExchange } from '../client/curl.ts';
import { authorize, type Credentials } from '../auth/identity.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import type { LoginAuth } from '../types.ts';
import { listed, skipped } from './report.ts';
import { fewRequestsTimeout } from './timeouts.ts';

interface Finding {
  severity: 'fail' | 'warn';
  problem: string;
  exchange?: Exchange;
}

/**
 * `api.auth.sessions`: the session cookie carries HttpOnly, Secure (on https) and SameSite;
 * the session id changes at login (no fixation); logout invalidates the session or token.
 */
export function sessionsCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.auth.sessions',
    title: 'Sessions are protected, rotated at login and ended by logout',
    checklist: ['integration.api.authentication.test-session-handling', 'integration.api.authentication.monitor-security'],
    timeoutMs: fewRequestsTimeout(options, 6),
    async run(context) {
      const sessions = options.sessions;
      if (!sessions) return skipped('no `sessions` configured');
      const { client } = context.resources;
      const identity = context.resources.identities.get(sessions.user ?? 'default')!;
      const login = identity.options as LoginAuth;
      const [protectedMethod, protectedPath] = sessions.protected.split(' ') as [string, string];
      const loginRequest = (cookie?: string): SendOptions => ({ method: login.method ?? 'POST', path: login.path, json: login.body, headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) } });
      const findings: Finding[] = [];

      const first = await client.send(loginRequest(), context.signal);
      if ((first.response?.status ?? 500) >= 400) return { status: 'error', summary: `login at ${login.path} answered ${first.response?.status ?? first.error}`, error: { code: 'PROBE_ERR_AUTH', message: `login at ${login.path} answered ${first.response?.status ?? first.error}` }, evidence: describeExchange(first, context.redact) };
      const cookies = setCookies(first.response);
      const name = sessions.cookie ?? login.cookie ?? cookies[0]?.name;
      const session = cookies.find((cookie) => cookie.name === name);
      const https = client.baseUrl.startsWith('https:');
      if (session) findings.push(...cookieFlags(session, https, first));

      let credentials: Credentials;
      if (session) {
        const second = await client.send(loginRequest(`${session.name}=${session.value}`), context.signal);
        const rotated = setCookies(second.response).find((cookie) => cookie.name === session.name);
        if (!rotated || rotated.value === session.value) {
          findings.push({ severity: 'fail', problem: `session id not rotated at login: a login carrying ${session.name}=… keeps it (session fixation)`, exchange: second });
        }
        credentials = { headers: {}, query: {}, cookies: { [session.name]: (rotated ?? session).value } };
      } else {
        credentials = identity.withToken(await identity.token(context.signal));
      }

      const protectedRequest: SendOptions = { method: protectedMethod, path: protectedPath };
      const before = await client.send(authorize(protectedRequest, credentials), context.signal);
      if (sessions.logout) {
        const [logoutMethod, logoutPath] = sessions.logout.split(' ') as [string, string];
        if ((before.response?.status ?? 500) >= 300) {
          findings.push({ severity: 'warn', problem: `${sessions.protected} refused the fresh session (${before.response?.status ?? before.error}): logout not tested`, exchange: before });
        } else {
          await client.send(authorize({ method: logoutMethod, path: logoutPath }, credentials), context.signal);
          const after = await client.send(authorize(protectedRequest, credentials), context.signal);
          if ((after.response?.status ?? 500) < 300) findings.push({ severity: 'fail', problem: `after ${sessions.logout} the old ${session ? 'session' : 'token'} still opens ${sessions.protected}`, exchange: after });
          identity.forget();
        }
      }
      const evidence = {
        cookie: session ? { name: session.name, httpOnly: !!session.httpOnly, secure: !!session.secure, sameSite: session.sameSite ?? null } : null,
        findings: findings.map(({ exchange, ...finding }) => ({ ...finding, ...(exchange ? describeExchange(exchange, context.redact) : {}) })),
      };
      const failing = findings.filter((finding) => finding.severity === 'fail');
      if (failing.length > 0) return { status: 'fail', summary: listed(failing.map((finding) => finding.problem), 2), evidence };
      if (findings.length > 0) return { status: 'warn', summary: listed(findings.map((finding) => finding.problem), 2), evidence };
      const parts = [session ? `cookie ${session.name} is HttpOnly${https ? ', Secure' : ''}, SameSite=${session.sameSite}, rotated at login` : 'token session', sessions.logout ? 'logout ends it' : 'logout not configured'];
      return { status: 'pass', summary: parts.join('; '), evidence };
    },
  };
}

function cookieFlags(cookie: Cookie, https: boolean, exchange: Exchange): Finding[] {
  const out: Finding[] = [];
  if (!cookie.httpOnly) out.push({ severity: 'fail', problem: `session cookie ${cookie.name} lacks HttpOnly (readable by scripts)`, exchange });
  if (https && !cookie.secure) out.push({ severity: 'fail', problem: `session cookie ${cookie.name} lacks Secure on https`, exchange });
  if (!cookie.sameSite) out.push({ severity: 'warn', problem: `session cookie ${cookie.name} has no SameSite`, exchange });
  if (cookie.sameSite === 'None' && !cookie.secure) out.push({ severity: 'fail', problem: `session cookie ${cookie.name} is SameSite=None without Secure`, exchange });
  return out;
}
