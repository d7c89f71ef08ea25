import { describe, expect, it } from 'vitest';
import { createRedactor, isSecretKey, redactDeep, redactHeaders, secretsOfUrl } from './redact.ts';

describe('createRedactor', () => {
  const redact = createRedactor(['s3cr3t-value', 'p@ss w/rd']);

  it('masks URL passwords of any scheme', () => {
    expect(redact('postgres://app:hunter2@db:5432/app')).toBe('postgres://app:***@db:5432/app');
    expect(redact('redis://:pw@127.0.0.1:6379/0 and amqp://guest:guest@h')).toBe('redis://:***@127.0.0.1:6379/0 and amqp://guest:***@h');
  });

  it('masks secret query parameters, bearer/basic credentials and password= pairs', () => {
    expect(redact('GET /x?user=a&token=abc123&page=2')).toBe('GET /x?user=a&token=***&page=2');
    expect(redact('curl -H "Authorization: Bearer eyJhbGciOi.x.y"')).toBe('curl -H "Authorization: Bearer ***"');
    expect(redact('Basic dXNlcjpwYXNz')).toBe('Basic ***');
    expect(redact('host=db password=topsecret user=app')).toBe('host=db password=*** user=app');
  });

  it('masks configured secret values wherever they appear, also URL-encoded', () => {
    expect(redact('error: auth failed for s3cr3t-value!')).toBe('error: auth failed for ***!');
    expect(redact('url p%40ss%20w%2Frd')).toBe('url ***');
  });

  it('leaves ordinary text alone', () => {
    expect(redact('connected to PostgreSQL 15.19 in 3 ms')).toBe('connected to PostgreSQL 15.19 in 3 ms');
  });

  it('ignores secrets too short to redact safely', () => {
    expect(createRedactor(['ab'])('a b ab abc')).toBe('a b ab abc');
  });
});

describe('helpers', () => {
  it('extracts URL passwords and secret query values', () => {
    expect(secretsOfUrl('postgres://app:p%40ss@h/db?sslpassword=x&api_key=KEY123')).toEqual(['p@ss', 'p%40ss', 'KEY123']);
    expect(secretsOfUrl('not a url')).toEqual([]);
  });

  it('masks headers by name and by content', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'X-Api-Key': 'k', Cookie: 'sid=1', Accept: 'application/json', Location: 'http://u:p@h/' }))
      .toEqual({ Authorization: '***', 'X-Api-Key': '***', Cookie: '***', Accept: 'application/json', Location: 'http://u:***@h/' });
  });

  it('recognises secret key names', () => {
    expect(['password', 'Authorization', 'client_secret', 'apiKey', 'set-cookie'].every(isSecretKey)).toBe(true);
    expect(['passenger', 'author', 'tokens_used', 'status'].some(isSecretKey)).toBe(false);
  });

  it('redacts deeply, masking secret-named string fields and handling cycles', () => {
    const value: Record<string, unknown> = { a: ['x postgres://u:pw@h/'], nested: { password: 'pw', count: 3, auth: true } };
    value.self = value;
    expect(redactDeep(value, createRedactor())).toEqual({ a: ['x postgres://u:***@h/'], nested: { password: '***', count: 3, auth: true }, self: '[circular]' });
  });

  it('copies an object shared by two fields into both: sharing is not a cycle', () => {
    const thresholds = { p99Ms: 50, token: 'abc' };
    const value = { thresholds, declared: thresholds, list: [thresholds, thresholds] };
    const copy = { p99Ms: 50, token: '***' };
    expect(redactDeep(value, createRedactor())).toEqual({ thresholds: copy, declared: copy, list: [copy, copy] });
  });
});
