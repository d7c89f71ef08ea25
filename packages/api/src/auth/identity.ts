import { ProbeError, ProbeErrorCode } from '@probe/core';
import type { Exchange, HttpClient, SendOptions } from '../client/client.ts';
import { cookieHeader, setCookies } from '../client/cookies.ts';
import { getPointer } from '../json-pointer.ts';
import type { AuthOptions, LoginAuth, OAuth2Auth } from '../types.ts';

/** What a request carries to authenticate. */
export interface Credentials {
  headers: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
}

/** The outcome of a token acquisition (or refresh). */
export interface Acquisition {
  /** The bearer token, API key or session cookie value. */
  token: string;
  /** Epoch ms at which the token expires, when the server said. */
  expiresAt?: number;
  refreshToken?: string;
  /** The request that obtained it (for evidence). */
  exchange?: Exchange;
}

/** One user the probe acts as. Tokens are acquired on first use and refreshed before they expire. */
export interface Identity {
  readonly name: string;
  readonly options: AuthOptions;
  /** The credentials, acquiring or refreshing the token first when needed. */
  credentials(signal: AbortSignal): Promise<Credentials>;
  /** Credentials carrying another token/key/password in place of the real one. */
  withToken(token: string): Credentials;
  /** The current secret (token, key, session value, password), acquiring it when needed. */
  token(signal: AbortSignal): Promise<string>;
  /** Acquire a token now, ignoring the cached one. */
  acquire(signal: AbortSignal): Promise<Acquisition>;
  /** Refresh: the refresh-token flow where there is one, else a new acquisition. */
  refresh(signal: AbortSignal): Promise<Acquisition>;
  /** The last acquisition, if any. */
  readonly current: Acquisition | undefined;
  /** Forget the cached token (after a logout). */
  forget(): void;
}

const EMPTY: Credentials = { headers: {}, query: {}, cookies: {} };

/** Build an identity; `client` sends the login/token requests. */
export function createIdentity(name: string, options: AuthOptions, client: HttpClient): Identity {
  let current: Acquisition | undefined;
  const refreshBefore = 'refreshBeforeMs' in options ? options.refreshBeforeMs ?? 30_000 : 30_000;

  const acquire = async (signal: AbortSignal): Promise<Acquisition> => {
    switch (options.type) {
      case 'bearer': return (current = { token: options.token });
      case 'apiKey': return (current = { token: options.value });
      case 'basic': return (current = { token: options.password });
      case 'oauth2': return (current = await clientCredentials(options, client, signal));
      case 'login': return (current = await login(options, client, signal));
    }
  };

  const token = async (signal: AbortSignal): Promise<string> => {
    if (!current) return (await acquire(signal)).token;
    if (current.expiresAt !== undefined && current.expiresAt - Date.now() < refreshBefore) return (await refresh(signal)).token;
    return current.token;
  };

  const refresh = async (signal: AbortSignal): Promise<Acquisition> => {
    if (options.type === 'login' && options.refreshPath && current?.refreshToken) {
      return (current = await refreshLogin(options, current.refreshToken, client, signal));
    }
    return acquire(signal);
  };

  const withToken = (value: string): Credentials => {
    switch (options.type) {
      case 'apiKey': {
        const where = options.in ?? 'header';
        if (where === 'query') return { ...EMPTY, query: { [options.name]: value } };
        if (where === 'cookie') return { ...EMPTY, cookies: { [options.name]: value } };
        return { ...EMPTY, headers: { [options.name.toLowerCase()]: value } };
      }
      case 'basic':
        return { ...EMPTY, headers: { authorization: `Basic ${Buffer.from(`${options.username}:${value}`).toString('base64')}` } };
      case 'login':
        if (options.cookie) return { ...EMPTY, cookies: { [options.cookie]: value } };
        return { ...EMPTY, headers: { authorization: `Bearer ${value}` } };
      default:
        return { ...EMPTY, headers: { authorization: `Bearer ${value}` } };
    }
  };

  return {
    name,
    options,
    credentials: async (signal) => withToken(await token(signal)),
    withToken,
    token,
    acquire,
    refresh,
    get current() { return current; },
    forget: () => { current = undefined; },
  };
}

/** Merge credentials into a request. */
export function authorize(send: SendOptions, credentials: Credentials): SendOptions {
  const cookie = cookieHeader(credentials.cookies);
  const existing = send.headers?.cookie;
  return {
    ...send,
    headers: { ...send.headers, ...credentials.headers, ...(cookie ? { cookie: existing ? `${existing}; ${cookie}` : cookie } : {}) },
    query: { ...send.query, ...credentials.query },
  };
}

async function clientCredentials(options: OAuth2Auth, client: HttpClient, signal: AbortSignal): Promise<Acquisition> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret });
  if (options.scope) form.set('scope', options.scope);
  if (options.audience) form.set('audience', options.audience);
  const exchange = await client.send({
    method: 'POST', url: client.url(options.tokenUrl), body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  }, signal);
  return tokenFrom(exchange, '/access_token', '/expires_in', '/refresh_token', `OAuth2 token request to ${options.tokenUrl}`);
}

async function login(options: LoginAuth, client: HttpClient, signal: AbortSignal): Promise<Acquisition> {
  const exchange = await client.send({ method: options.method ?? 'POST', path: options.path, json: options.body, headers: { accept: 'application/json' } }, signal);
  if (options.cookie) {
    const cookie = setCookies(exchange.response).find((candidate) => candidate.name === options.cookie);
    if (!exchange.response || exchange.response.status >= 400 || !cookie) {
      throw authError(exchange, `login at ${options.path} set no "${options.cookie}" cookie`);
    }
    return { token: cookie.value, exchange, ...(cookie.maxAge !== undefined ? { expiresAt: Date.now() + cookie.maxAge * 1000 } : {}) };
  }
  return tokenFrom(exchange, options.tokenPointer ?? ['/access_token', '/token'], options.expiresInPointer ?? '/expires_in',
    options.refreshTokenPointer ?? '/refresh_token', `login at ${options.path}`);
}

async function refreshLogin(options: LoginAuth, refreshToken: string, client: HttpClient, signal: AbortSignal): Promise<Acquisition> {
  const body = options.refreshBody
    ? JSON.parse(JSON.stringify(options.refreshBody).replaceAll('{{refreshToken}}', refreshToken.replace(/["\\]/g, '')))
    : { refresh_token: refreshToken };
  const exchange = await client.send({ method: 'POST', path: options.refreshPath!, json: body, headers: { accept: 'application/json' } }, signal);
  return tokenFrom(exchange, options.tokenPointer ?? ['/access_token', '/token'], options.expiresInPointer ?? '/expires_in',
    options.refreshTokenPointer ?? '/refresh_token', `refresh at ${options.refreshPath}`);
}

function tokenFrom(exchange: Exchange, tokenPointer: string | string[], expiresPointer: string, refreshPointer: string, what: string): Acquisition {
  const response = exchange.response;
  if (!response || response.status >= 400) throw authError(exchange, `${what} answered ${response?.status ?? exchange.error}`);
  const token = [tokenPointer].flat().map((pointer) => getPointer(response.json, pointer)).find((value) => typeof value === 'string');
  if (typeof token !== 'string') throw authError(exchange, `${what} returned no token at ${[tokenPointer].flat().join(' or ')}`);
  const expiresIn = Number(getPointer(response.json, expiresPointer));
  const refreshToken = getPointer(response.json, refreshPointer);
  return {
    token,
    exchange,
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
    ...(typeof refreshToken === 'string' ? { refreshToken } : {}),
  };
}

function authError(exchange: Exchange, message: string): ProbeError {
  const error = new ProbeError(ProbeErrorCode.AUTH, message, { hint: 'check the credentials in the `auth`/`users` options' });
  return Object.assign(error, { exchange });
}
