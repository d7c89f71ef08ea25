import { afterEach, describe, expect, it } from 'vitest';
import { startNotesApi, type Defects, type NotesApi } from '../../test/fixtures/notes-api.ts';
import { notesOptions, runProbe } from '../../test/fixtures/run.ts';

let api: NotesApi | undefined;
afterEach(async () => { await api?.close(); api = undefined; });

async function endpoints(defects: Defects = {}, setup?: (api: NotesApi) => void) {
  api = await startNotesApi(defects);
  setup?.(api);
  return runProbe(notesOptions(api.url), { only: ['api.endpoints.*'] });
}

describe('endpoint checks against a sound API', () => {
  it('all pass, and the run leaves no note behind', async () => {
    const results = await endpoints();
    for (const id of ['api.endpoints.reachable', 'api.endpoints.status-codes', 'api.endpoints.response-schema', 'api.endpoints.content-type', 'api.endpoints.headers', 'api.endpoints.error-handling', 'api.endpoints.latency']) {
      expect(results[id]?.status, `${id}: ${results[id]?.summary}`).toBe('pass');
    }
    expect(results['api.endpoints.reachable']!.summary).toBe('8 operations answered without a server error (2 not exercised: auth flow endpoint, left to api.auth.*)');
    expect(api!.notes.size).toBe(0);
  });
});

describe('api.endpoints.reachable', () => {
  it('fails on a 5xx with a curl reproduction', async () => {
    const results = await endpoints({}, (fixture) => fixture.upstream.route('GET /health', { status: 503, body: 'down' }));
    const result = results['api.endpoints.reachable']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('GET /health (503)');
    const failure = (result.evidence.failures as { items: { curl: string; status: number }[] }).items[0]!;
    expect(failure.status).toBe(503);
    expect(failure.curl).toMatch(/^curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/health' -H 'x-probe-run: \w+'/);
  });
});

describe('api.endpoints.status-codes', () => {
  it('fails on a status the spec does not document', async () => {
    const result = (await endpoints({ undocumentedStatus: true }))['api.endpoints.status-codes']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('GET /notes → 206');
  });
});

describe('api.endpoints.response-schema', () => {
  it('fails on a missing required field, naming the JSON pointer', async () => {
    const result = (await endpoints({ missingRequiredField: true }))['api.endpoints.response-schema']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^3 of 7 bodies do not match their schema: POST \/notes 201 at \/ \(must have required property 'title'\), GET \/notes\/\{id\} 200 at \/ /);
  });
});

describe('api.endpoints.content-type', () => {
  it('fails on an undocumented content type', async () => {
    const results = await endpoints({}, (fixture) => fixture.upstream.route('GET /health', { status: 200, headers: { 'content-type': 'text/html', 'x-content-type-options': 'nosniff' }, body: '<p>ok</p>' }));
    expect(results['api.endpoints.content-type']!.status).toBe('fail');
    expect(results['api.endpoints.content-type']!.summary).toContain('GET /health (200 answered text/html, documented application/json)');
  });

  it('fails on a JSON content type whose body does not parse', async () => {
    const results = await endpoints({}, (fixture) => fixture.upstream.route('GET /health', { status: 200, headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }, body: '{"status":' }));
    expect(results['api.endpoints.content-type']!.status).toBe('fail');
    expect(results['api.endpoints.content-type']!.summary).toContain('body is not valid JSON');
  });
});

describe('api.endpoints.headers', () => {
  it('warns when X-Content-Type-Options is missing', async () => {
    const results = await endpoints({}, (fixture) => fixture.upstream.route('GET /health', { body: { status: 'ok' } }));
    expect(results['api.endpoints.headers']!.status).toBe('warn');
    expect(results['api.endpoints.headers']!.summary).toContain('GET /health: no X-Content-Type-Options: nosniff');
  });

  it('fails when CORS grants credentials to any origin', async () => {
    const results = await endpoints({}, (fixture) => fixture.upstream.route('GET /health', ({ request }) => ({
      headers: { 'x-content-type-options': 'nosniff', ...(request.headers.origin ? { 'access-control-allow-origin': request.headers.origin, 'access-control-allow-credentials': 'true' } : {}) },
      body: { status: 'ok' },
    })));
    expect(results['api.endpoints.headers']!.status).toBe('fail');
    expect(results['api.endpoints.headers']!.summary).toMatch(/CORS reflects any Origin \(https:\/\/probe-\w+\.invalid\) with Allow-Credentials: true/);
  });
});

describe('api.endpoints.error-handling', () => {
  it('fails on a 500 to malformed JSON', async () => {
    const result = (await endpoints({ crashOnMalformedJson: true }))['api.endpoints.error-handling']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('POST /notes with malformed JSON → 500');
    expect(JSON.stringify(result.evidence)).toContain(`--data-raw '{\\"probe\\": '`);
  });

  it('fails when a schema-violating body is accepted, and deletes what it created', async () => {
    const result = (await endpoints({ acceptsInvalidBody: true }))['api.endpoints.error-handling']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/POST \/notes with .* → 201/);
    expect(api!.notes.size).toBe(0);
  });

  it('fails when an unknown id answers 200', async () => {
    const result = (await endpoints({ unknownIdIs200: true }))['api.endpoints.error-handling']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/GET \/notes\/\{id\} with unknown id [0-9a-f-]{36} → 200/);
  });

  it('warns when an undocumented method answers 404 instead of 405', async () => {
    const result = (await endpoints({}, (fixture) => fixture.upstream.route('* /notes/:id', { status: 404, headers: { 'content-type': 'application/problem+json' }, body: { title: 'nope', status: 404 } })))['api.endpoints.error-handling']!;
    expect(result.status).toBe('warn');
    expect(result.summary).toContain('PUT /notes/{id} with undocumented method PUT → 404 (expected 405 Method Not Allowed, got 404)');
  });

  it('fails when an error body breaks the documented problem shape', async () => {
    const result = (await endpoints({}, (fixture) => fixture.upstream.route('GET /notes/:id', { status: 404, headers: { 'content-type': 'application/problem+json' }, body: { message: 'no' } })))['api.endpoints.error-handling']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/unknown id [0-9a-f-]{36} → 404$/);
    expect(JSON.stringify(result.evidence)).toContain(`error body does not match the documented 404 schema at /: must have required property 'title'`);
  });
});

describe('api.endpoints.latency', () => {
  it('fails when an operation is over its p95 threshold', async () => {
    api = await startNotesApi({ slowListMs: 60 });
    const results = await runProbe(notesOptions(api.url, { thresholds: { p95Ms: 1_000, samples: 3, operations: { 'GET /notes': { p95Ms: 40 } } } }), { only: ['api.endpoints.latency'] });
    const result = results['api.endpoints.latency']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^1 of 5 operations are over their p95 threshold: GET \/notes p95 \d+(\.\d)? ms > 40 ms$/);
    expect(result.metrics.map((metric) => metric.name)).toEqual(['api.latency.p50_ms', 'api.latency.p95_ms', 'api.latency.max_ms', 'api.latency.samples']);
  });
});
