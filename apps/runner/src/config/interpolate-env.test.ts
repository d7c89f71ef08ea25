import { describe, expect, it } from 'vitest';
import { interpolateEnv } from './interpolate-env.ts';
import { isSecretEnvName, secretEnvValues } from './secret-env.ts';

describe('interpolateEnv', () => {
  const env = { PG_HOST: 'db.internal', PG_PASSWORD: 's3cret!', API_TOKEN: 'tok-123', EMPTY: '' };

  it('replaces ${VAR} in every string, deep, and leaves other values alone', () => {
    const { value, issues } = interpolateEnv({ url: 'postgres://app:${PG_PASSWORD}@${PG_HOST}/app', list: ['${PG_HOST}', 3, true, null], nested: { n: 1 } }, env);
    expect(issues).toEqual([]);
    expect(value).toEqual({ url: 'postgres://app:s3cret!@db.internal/app', list: ['db.internal', 3, true, null], nested: { n: 1 } });
  });

  it('uses ${VAR:-default} when the variable is unset or empty, and keeps $${VAR} literal', () => {
    const { value } = interpolateEnv({ a: '${NOPE:-fallback}', b: '${EMPTY:-x}', c: '${EMPTY}', d: '$${PG_HOST}' }, env);
    expect(value).toEqual({ a: 'fallback', b: 'x', c: '', d: '${PG_HOST}' });
  });

  it('reports each unset variable at the path of its field', () => {
    const { issues } = interpolateEnv({ probes: [{ options: { url: '${PG_URL}' } }, { options: { headers: { authorization: 'Bearer ${TOKEN_X}' } } }] }, env);
    expect(issues).toEqual([
      { path: 'probes[0].options.url', message: 'environment variable PG_URL is not set; export it, or write ${PG_URL:-default}' },
      { path: 'probes[1].options.headers.authorization', message: 'environment variable TOKEN_X is not set; export it, or write ${TOKEN_X:-default}' },
    ]);
  });

  it('collects the values of secret-looking variables it interpolated', () => {
    const { secrets } = interpolateEnv({ a: '${PG_PASSWORD}', b: '${PG_HOST}', c: '${API_TOKEN}', d: '${API_TOKEN}' }, env);
    expect(secrets).toEqual(['s3cret!', 'tok-123']);
  });
});

describe('secret-looking environment variables', () => {
  it.each([
    ['PG_PASSWORD', true], ['PGPASSWORD', true], ['API_TOKEN', true], ['CLIENT_SECRET', true], ['X_API_KEY', true],
    ['AWS_SECRET_ACCESS_KEY', true], ['REDIS_PASS', true], ['GOOGLE_CREDENTIALS', true],
    ['PG_HOST', false], ['PWD', false], ['KEYRING_DIR', false], ['PATH', false], ['SSH_AUTH_SOCK', false],
  ])('%s → %s', (name, secret) => {
    expect(isSecretEnvName(name)).toBe(secret);
  });

  it('takes values of at least 4 characters', () => {
    expect(secretEnvValues({ A_TOKEN: 'abcd', B_TOKEN: 'abc', C_HOST: 'abcdef', D_KEY: undefined })).toEqual(['abcd']);
  });
});
