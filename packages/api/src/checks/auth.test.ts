import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { JWT_SECRET, startNotesApi, type Defects, type NotesApi } from '../../test/fixtures/notes-api.ts';
import { notesSpec } from '../../test/fixtures/notes-spec.ts';
import { notesOptions, runProbe } from '../../test/fixtures/run.ts';
import type { HttpOptions } from '../types.ts';

let api: NotesApi | undefined;
afterEach(async () => { await api?.close(); api = undefined; });

const SESSIONS = { protected: 'GET /me', logout: 'POST /logout' } as const;

async function auth(defects: Defects = {}, extra: Partial<HttpOptions> = {}) {
  api = await startNotesApi(defects);
  return runProbe(notesOptions(api.url, { sessions: SESSIONS, jwt: { signingKey: { algorithm: 'HS256', secret: JWT_SECRET } }, ...extra }), { only: ['api.auth.*'] });
}

describe('auth checks against a sound API', () => {
  it('all pass and leave nothing behind', async () => {
    const results = await auth({}, { permissions: { rules: [{ user: 'anonymous', operation: 'GET /me', allow: false }, { user: 'bob', operation: 'GET /me', allow: true }] } });
    for (const id of ['api.auth.required', 'api.auth.tokens', 'api.auth.permissions', 'api.auth.sessions']) {
      expect(results[id]?.status, `${id}: ${results[id]?.summary}`).toBe('pass');
    }
    expect(results['api.auth.permissions']!.summary).toBe('6 permissions enforced');
    expect(api!.notes.size).toBe(0);
  });
});

describe('api.auth.required', () => {
  it('fails when a secured route answers without a token, naming it', async () => {
    const result = (await auth({ openSecuredRoute: true }))['api.auth.required']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 secured operation let a request through: GET /notes (no credentials → 200; tampered credentials → 200)');
  });

  it('skips when nothing is secured', async () => {
    api = await startNotesApi();
    const results = await runProbe({ baseUrl: api.url, endpoints: [{ path: '/health' }] }, { only: ['api.auth.required'] });
    expect(results['api.auth.required']!.status).toBe('skip');
  });
});

describe('api.auth.tokens', () => {
  it('fails when an unsigned copy of the token is accepted', async () => {
    const result = (await auth({ acceptsUnsignedJwt: true }))['api.auth.tokens']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('default: an unsigned (alg "none") copy of the token is accepted');
  });

  it('fails when an expired token (minted with the signing key) is accepted', async () => {
    const result = (await auth({ acceptsExpiredJwt: true }))['api.auth.tokens']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('default: an expired token is accepted');
  });

  it('fails with the login exchange when the credentials are wrong', async () => {
    const result = (await auth({}, { users: { alice: { type: 'login', path: '/login', body: { username: 'alice', password: 'wrong-password' } } } }))['api.auth.tokens']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('alice: login at /login answered 401');
    expect(JSON.stringify(result)).not.toContain('wrong-password');
  });

  it('works with a static bearer token and OAuth2 client credentials', async () => {
    api = await startNotesApi();
    const token = JSON.parse((await (await fetch(`${api.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', password: 'bob-pw-5678' }) })).text())).access_token as string;
    api.upstream.route('POST /oauth/token', ({ request }) => (request.body.includes('client_secret=s3cret-value') ? { body: { access_token: token, expires_in: 600, token_type: 'Bearer' } } : { status: 401, body: { error: 'invalid_client' } }));
    const results = await runProbe(notesOptions(api.url, {
      auth: { type: 'bearer', token },
      users: { service: { type: 'oauth2', tokenUrl: '/oauth/token', clientId: 'probe', clientSecret: 's3cret-value' } },
    }), { only: ['api.auth.tokens'] });
    const result = results['api.auth.tokens']!;
    expect(result.status, result.summary).toBe('pass');
    expect(Object.keys(result.evidence.identities as object)).toEqual(['default', 'service']);
  });
});

describe('api.auth.tokens with roles', () => {
  /** GET /admin/stats, first in the spec: alice (admin) 200, any other valid token 403, no valid token 401. */
  async function withAdminRoute(defects: Defects = {}, extra: Partial<HttpOptions> = {}) {
    api = await startNotesApi(defects);
    api.upstream.route('GET /admin/stats', ({ request }) => {
      const [header, payload, signature] = (request.headers.authorization ?? '').replace(/^Bearer /, '').split('.');
      const expected = header && payload ? createHmac('sha256', JWT_SECRET).update(`${header}.${payload}`).digest('base64url') : undefined;
      const claims = payload ? JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string; exp?: number } : {};
      const valid = (signature === expected || defects.acceptsUnsignedJwt) && ((claims.exp ?? 0) * 1000 > Date.now() || defects.acceptsExpiredJwt);
      if (!valid) return { status: 401, body: { title: 'unauthorized' } };
      return claims.sub === 'alice' ? { body: { notes: 0 } } : { status: 403, body: { title: 'admins only' } };
    });
    const spec = notesSpec() as { paths: Record<string, unknown> };
    const admin = { get: { operationId: 'adminStats', responses: { 200: { description: 'stats', content: { 'application/json': { schema: { type: 'object' } } } }, 401: { description: 'no' }, 403: { description: 'no' } } } };
    spec.paths = { '/admin/stats': admin, ...spec.paths };
    const options = notesOptions(api.url, { openapi: spec, jwt: { signingKey: { algorithm: 'HS256', secret: JWT_SECRET } }, ...extra });
    if (extra.users) options.users = { ...notesOptions(api.url).users, ...extra.users };
    return (await runProbe(options, { only: ['api.auth.tokens'] }))['api.auth.tokens']!;
  }

  it('a 403 on an admin route is not a refused token: each identity is verified on an operation it may call', async () => {
    const result = await withAdminRoute();
    expect(result.status, result.summary).toBe('pass');
    expect(result.evidence.verifiedAgainst).toEqual({ default: 'GET /admin/stats', alice: 'GET /admin/stats', bob: 'GET /me' });
  });

  it('still fails on a 401: a token the API does not accept, naming the operation that refused it', async () => {
    const result = await withAdminRoute({}, { users: { mallory: { type: 'bearer', token: 'not-a-token' } } });
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('mallory: the acquired token is refused by GET /admin/stats (401)');
    expect(result.evidence.verifiedAgainst).toEqual({ default: 'GET /admin/stats', alice: 'GET /admin/stats', bob: 'GET /me' });
  });
});

describe('api.auth.permissions', () => {
  it('fails when a user can read another user\'s resource', async () => {
    const result = (await auth({ crossUserRead: true }))['api.auth.permissions']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^1 permission violated: bob reads alice's \/notes\/[0-9a-f-]{36} \(should be denied, got 200\)$/);
    expect(api!.notes.size).toBe(0);
  });

  it('fails when a rule is not enforced', async () => {
    const result = (await auth({}, { permissions: { rules: [{ user: 'bob', operation: 'GET /me', allow: false }] } }))['api.auth.permissions']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('bob GET /me (should be denied, got 200)');
  });

  it('skips cross-user access in read-only mode', async () => {
    api = await startNotesApi();
    const results = await runProbe(notesOptions(api.url), { only: ['api.auth.permissions'], readOnly: true });
    expect(results['api.auth.permissions']!.status).toBe('skip');
    expect(results['api.auth.permissions']!.reason).toBe('cross-user access not tested: read-only mode');
  });
});

describe('api.auth.sessions', () => {
  it('fails on a session cookie without HttpOnly', async () => {
    const result = (await auth({ cookieWithoutHttpOnly: true }))['api.auth.sessions']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('session cookie sid lacks HttpOnly (readable by scripts)');
  });

  it('fails on session fixation', async () => {
    const result = (await auth({ sessionFixation: true }))['api.auth.sessions']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('session id not rotated at login');
  });

  it('fails when logout leaves the session usable', async () => {
    const result = (await auth({ logoutKeepsSession: true }))['api.auth.sessions']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('after POST /logout the old session still opens GET /me');
  });
});
