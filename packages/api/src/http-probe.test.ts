import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '@probe/core';
import { collectEvents, describeConformance } from '@probe/testkit';
import { startCrudApi } from '../test/fixtures/crud-api.ts';
import { JWT_SECRET, USERS, startNotesApi, type NotesApi } from '../test/fixtures/notes-api.ts';
import { notesOptions, runProbe } from '../test/fixtures/run.ts';
import { http } from './index.ts';

let api: NotesApi;
beforeAll(async () => {
  api = await startNotesApi();
  // Someone else's data, which every run must leave exactly as it was.
  api.notes.set('00000000-0000-4000-8000-000000000001', { id: '00000000-0000-4000-8000-000000000001', owner: 'alice', title: 'Existing', body: null, priority: 3, createdAt: '2024-01-01T00:00:00.000Z' });
});
afterAll(async () => { await api.close(); });

const CANARY = 'canary-7d1e9c0b';

describeConformance({
  name: 'http() against the notes API',
  domain: 'api',
  probe: () => http(notesOptions(`${api.url}/?token=${CANARY}`, {
    sessions: { protected: 'GET /me', logout: 'POST /logout' },
    jwt: { signingKey: { algorithm: 'HS256', secret: JWT_SECRET } },
    permissions: { rules: [{ user: 'bob', operation: 'GET /me', allow: true }] },
  })),
  fingerprint: async () => JSON.stringify([...api.notes.values()].filter((note) => !note.title.startsWith('probe-') && note.title !== 'Buy milk'))
    + `|${api.notes.size}`,
  leftovers: async () => [...api.notes.values()].filter((note) => note.id !== '00000000-0000-4000-8000-000000000001').map((note) => `${note.id} ${note.title}`),
  secrets: [CANARY, USERS.alice!, USERS.bob!, JWT_SECRET],
});

describe('http() options', () => {
  it('reports invalid options with the field path and runs nothing', async () => {
    const probe = http({ baseUrl: 'localhost:8080', limits: { budgetMs: -1 }, rateLimit: { burst: 5_000 }, users: { bob: { type: 'bearer', token: 'x' } }, permissions: { rules: [{ user: 'carol', operation: 'GET /x', allow: true }] } } as never);
    expect(probe.checks).toEqual([]);
    expect(probe.issues).toEqual([
      { path: 'baseUrl', message: 'expected an http:// or https:// URL, got "localhost:8080"' },
      { path: 'rateLimit.burst', message: expect.stringContaining('1000') },
      { path: 'limits.budgetMs', message: expect.stringContaining('>0') },
    ]);
    await expect(run([probe], { reporters: [collectEvents()] })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG' });
  });

  it('reports options that do not fit together', () => {
    const probe = http({
      baseUrl: 'http://127.0.0.1:1', users: { bob: { type: 'bearer', token: 'tok-1' } }, auth: { type: 'bearer', token: 'tok-2' },
      permissions: { rules: [{ user: 'carol', operation: 'GET /x', allow: true }] }, sessions: { protected: 'GET /me' }, contract: { previous: 'v1.yaml' },
    });
    expect(probe.issues).toEqual([
      { path: 'permissions.rules[0].user', message: 'unknown user "carol"; `users` has bob' },
      { path: 'auth.type', message: 'expected "login" for session checks, got "bearer"' },
      { path: 'contract', message: 'needs `openapi` (the current version to compare with `previous`)' },
    ]);
  });
});

describe('http() against bad targets', () => {
  it('ends every check quickly as PROBE_ERR_UNREACHABLE on a closed port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const started = performance.now();
    const results = await runProbe({ baseUrl: `http://127.0.0.1:${port}`, endpoints: [{ path: '/health' }], rateLimit: { burst: 3 } });
    expect(performance.now() - started).toBeLessThan(2_000);
    const errors = Object.values(results).filter((result) => result.status === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const result of errors) expect(result.error?.code, result.id).toBe('PROBE_ERR_UNREACHABLE');
  });

  it('errors every check with PROBE_ERR_CONFIG when the spec cannot be read', async () => {
    const results = await runProbe({ baseUrl: api.url, openapi: '/nonexistent/spec.yaml' });
    expect(results['api.endpoints.reachable']!.error).toEqual({ code: 'PROBE_ERR_CONFIG', message: expect.stringMatching(/^setup of 127\.0\.0\.1:\d+ failed: cannot read the OpenAPI document file:\/\/\/nonexistent\/spec\.yaml: .*ENOENT.* — check the `openapi` option/) });
  });

  it('works from declared endpoints alone, without a spec', async () => {
    const results = await runProbe({
      baseUrl: api.url,
      endpoints: [{ path: '/health', status: 200, contentType: 'application/json', responseSchema: { type: 'object', required: ['status'] } }, { path: '/me', status: [200, 401] }],
    }, { only: ['api.endpoints.*'] });
    expect(results['api.endpoints.reachable']!.summary).toBe('2 operations answered without a server error');
    expect(results['api.endpoints.status-codes']!.status).toBe('pass');
    expect(results['api.endpoints.response-schema']!.summary).toBe('1 body matched their documented schemas');
  });
});

describe('a realistic API: 20 operations served locally', () => {
  it('runs the whole probe in bounded time and leaves nothing behind', async () => {
    const crud = await startCrudApi(['projects', 'tasks', 'labels', 'users']);
    try {
      const started = performance.now();
      const results = await runProbe({ baseUrl: crud.url, openapi: crud.spec, auth: { type: 'bearer', token: crud.token }, writes: true });
      const wallMs = performance.now() - started;
      const statuses = Object.fromEntries(Object.values(results).map((result) => [result.id, result.status]));
      expect(statuses).toEqual({
        'api.endpoints.reachable': 'pass', 'api.endpoints.status-codes': 'pass', 'api.endpoints.response-schema': 'pass', 'api.endpoints.content-type': 'pass',
        'api.endpoints.headers': 'pass', 'api.endpoints.error-handling': 'pass', 'api.endpoints.latency': 'pass', 'api.auth.required': 'pass',
        'api.auth.tokens': 'pass', 'api.auth.permissions': 'skip', 'api.auth.sessions': 'skip', 'api.dataflow.roundtrip': 'pass',
        'api.dataflow.validation': 'pass', 'api.webhooks': 'skip', 'api.contract.breaking': 'skip', 'api.tls': 'skip', 'api.ratelimit': 'skip',
      });
      expect(crud.items).toBe(0);
      console.log(`[figure] whole probe, 20 operations, ${crud.upstream.requests.length} requests: ${Math.round(wallMs)} ms`);
      expect(wallMs).toBeLessThan(4_000);
    } finally {
      await crud.close();
    }
  });
});
