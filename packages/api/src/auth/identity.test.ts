import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../testing/index.ts';
import { createClient } from '../client/client.ts';
import { authorize, createIdentity } from './identity.ts';
import { decodeJwt, signJwt, tamper, unsignedJwt } from './jwt.ts';

let upstream: FakeUpstream | undefined;
afterEach(async () => { await upstream?.close(); upstream = undefined; });

const signal = () => AbortSignal.timeout(2_000);

describe('createIdentity', () => {
  it('logs in once, then refreshes with the refresh token when the token is about to expire', async () => {
    let issued = 0;
    upstream = await startFakeUpstream({
      routes: {
        'POST /login': () => ({ body: { access_token: `t${++issued}`, expires_in: 10, refresh_token: 'r1' } }),
        'POST /refresh': ({ request }) => ((request.json as { refresh_token?: string }).refresh_token === 'r1' ? { body: { access_token: `t${++issued}`, expires_in: 3_600 } } : { status: 401 }),
      },
    });
    const client = createClient({ baseUrl: upstream.url, runId: 'r', requestTimeoutMs: 1_000, connectTimeoutMs: 1_000, maxBodyBytes: 10_000 });
    const identity = createIdentity('alice', { type: 'login', path: '/login', body: { username: 'a', password: 'p' }, refreshPath: '/refresh', refreshBeforeMs: 30_000 }, client);
    expect(await identity.token(signal())).toBe('t1');     // 10 s left < 30 s: refreshed on the next use
    expect(await identity.token(signal())).toBe('t2');
    expect(await identity.token(signal())).toBe('t2');     // an hour left: cached
    expect(upstream.requests.map((request) => request.path)).toEqual(['/login', '/refresh']);
    await client.close();
  });

  it('puts API keys, basic credentials and session cookies where they belong', () => {
    const client = createClient({ baseUrl: 'http://127.0.0.1:1', runId: 'r', requestTimeoutMs: 1, connectTimeoutMs: 1, maxBodyBytes: 1 });
    expect(createIdentity('k', { type: 'apiKey', name: 'api_key', value: 'v', in: 'query' }, client).withToken('v').query).toEqual({ api_key: 'v' });
    expect(createIdentity('b', { type: 'basic', username: 'u', password: 'p' }, client).withToken('p').headers).toEqual({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
    const session = createIdentity('s', { type: 'login', path: '/login', body: {}, cookie: 'sid' }, client).withToken('abc');
    expect(authorize({ path: '/me', headers: { cookie: 'theme=dark' } }, session).headers).toEqual({ cookie: 'theme=dark; sid=abc' });
    void client.close();
  });
});

describe('jwt helpers', () => {
  it('signs, decodes, strips the signature and tampers', () => {
    const token = signJwt({ sub: 'alice', exp: 2_000_000_000 }, 'HS256', 'secret');
    expect(decodeJwt(token)).toEqual({ header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: 'alice', exp: 2_000_000_000 } });
    expect(decodeJwt(unsignedJwt({ sub: 'alice' }))!.header.alg).toBe('none');
    const tampered = tamper(token);
    expect(tampered).not.toBe(token);
    expect(tampered.slice(0, -4)).toBe(token.slice(0, -4));
    expect(Buffer.from(tampered.split('.')[2]!, 'base64url')).not.toEqual(Buffer.from(token.split('.')[2]!, 'base64url'));
    expect(decodeJwt('opaque-token')).toBeUndefined();
  });
});
