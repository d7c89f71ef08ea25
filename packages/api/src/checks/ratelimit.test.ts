import { afterEach, describe, expect, it } from 'vitest';
import { startNotesApi, type NotesApi } from '../../test/fixtures/notes-api.ts';
import { notesOptions, runProbe } from '../../test/fixtures/run.ts';
import type { ApiResponse } from '../client/client.ts';
import { limitHeaders } from './ratelimit.ts';

let api: NotesApi | undefined;
afterEach(async () => { await api?.close(); api = undefined; });

describe('api.ratelimit', () => {
  it('finds the limit, reads Retry-After, recovers; never sends more than the burst', async () => {
    api = await startNotesApi();
    const results = await runProbe(notesOptions(api.url, { rateLimit: { operation: 'GET /limited', burst: 20, concurrency: 1 } }), { only: ['api.ratelimit'] });
    const result = results['api.ratelimit']!;
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toMatch(/^limit of 5 requests on GET \/limited; 429 carries Retry-After, ratelimit-limit, ratelimit-remaining; recovered after \d+ ms$/);
    expect(api.upstream.requestsTo('GET /limited').length).toBe(7);   // 5 accepted, the 429, the recovery probe
  });

  it('fails on a 429 without Retry-After or RateLimit headers', async () => {
    api = await startNotesApi({ rateLimitWithoutRetryAfter: true });
    const result = (await runProbe(notesOptions(api.url, { rateLimit: { operation: 'GET /limited', burst: 10, concurrency: 1 } }), { only: ['api.ratelimit'] }))['api.ratelimit']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('429 after 5 requests to GET /limited without Retry-After or RateLimit-* headers: clients cannot tell when to retry');
  });

  it('fails when more than the documented limit is accepted, and warns when no limit shows', async () => {
    api = await startNotesApi();
    const over = (await runProbe(notesOptions(api.url, { rateLimit: { operation: 'GET /health', burst: 8, limit: 5 } }), { only: ['api.ratelimit'] }))['api.ratelimit']!;
    expect(over.status).toBe('fail');
    expect(over.summary).toBe('8 requests to GET /health accepted in one burst, over the documented limit of 5, without a 429');
    const none = (await runProbe(notesOptions(api.url, { rateLimit: { operation: 'GET /health', burst: 8 } }), { only: ['api.ratelimit'] }))['api.ratelimit']!;
    expect(none.status).toBe('warn');
    expect(api.upstream.requestsTo('GET /health').length).toBe(16);
  });

  it('is opt-in', async () => {
    api = await startNotesApi();
    expect((await runProbe(notesOptions(api.url), { only: ['api.ratelimit'] }))['api.ratelimit']!.status).toBe('skip');
  });
});

describe('limitHeaders', () => {
  const response = (headers: Record<string, string>): ApiResponse => ({ status: 429, headers, body: '', truncated: false });
  it('reads Retry-After as seconds or an HTTP date, and the RateLimit header forms', () => {
    expect(limitHeaders(response({ 'retry-after': '3' }))).toEqual({ retryAfterS: 3, sources: ['Retry-After'] });
    expect(limitHeaders(response({ 'retry-after': new Date(Date.now() + 10_000).toUTCString() })).retryAfterS).toBeGreaterThan(8);
    expect(limitHeaders(response({ ratelimit: 'limit=100, remaining=0, reset=7' }))).toEqual({ retryAfterS: 7, limit: 100, remaining: 0, sources: ['RateLimit'] });
    expect(limitHeaders(response({ 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 5) })).retryAfterS).toBeLessThanOrEqual(5);
    expect(limitHeaders(response({}))).toEqual({ sources: [] });
  });
});
