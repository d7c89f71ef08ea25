import { afterEach, describe, expect, it } from 'vitest';
import { startNotesApi, type Defects, type NotesApi } from '../../test/fixtures/notes-api.ts';
import { notesOptions, runProbe } from '../../test/fixtures/run.ts';
import type { HttpOptions } from '../types.ts';

let api: NotesApi | undefined;
afterEach(async () => { await api?.close(); api = undefined; });

async function dataflow(defects: Defects = {}, extra: Partial<HttpOptions> = {}) {
  api = await startNotesApi(defects);
  return runProbe(notesOptions(api.url, extra), { only: ['api.dataflow.*'] });
}

const FLOW = { collection: '/notes', create: { title: 'Call Ada', priority: 2, email: 'Ada@Example.COM' }, update: { method: 'PATCH' as const, body: { title: 'Call Ada back' } }, serverFields: ['id', 'createdAt'] };

describe('api.dataflow.roundtrip', () => {
  it('passes an inferred create → read → update → read → delete → 404 flow and leaves nothing', async () => {
    const result = (await dataflow())['api.dataflow.roundtrip']!;
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toBe('1 flow round-tripped (/notes: create 201 → read 200 → patch 200 → read 200 → delete 204 → read 404)');
    expect(api!.notes.size).toBe(0);
  });

  it('fails on an undeclared transformation, showing written and read values', async () => {
    const result = (await dataflow({ lowercasesEmail: true }, { flows: [FLOW] }))['api.dataflow.roundtrip']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 of 1 flows broke: /notes: read differs from what was written at /email');
    expect(JSON.stringify(result.evidence)).toContain('"differences":[{"pointer":"/email","written":"Ada@Example.COM","read":"ada@example.com"}]');
    expect(api!.notes.size).toBe(0);
  });

  it('passes when the transformation is declared', async () => {
    const result = (await dataflow({ lowercasesEmail: true }, { flows: [{ ...FLOW, transforms: { email: 'lowercase' } }] }))['api.dataflow.roundtrip']!;
    expect(result.status, result.summary).toBe('pass');
  });

  it('is skipped in read-only mode and when writes are off', async () => {
    api = await startNotesApi();
    const readOnly = await runProbe(notesOptions(api.url), { only: ['api.dataflow.*'], readOnly: true });
    expect(readOnly['api.dataflow.roundtrip']!.status).toBe('skip');
    const noWrites = await runProbe(notesOptions(api.url, { writes: false }), { only: ['api.dataflow.*'] });
    expect(noWrites['api.dataflow.roundtrip']!.reason).toBe('writes are not allowed (set `writes: true`)');
    expect(api.upstream.requests.filter((request) => request.method !== 'GET' && request.path !== '/login')).toEqual([]);
  });
});

describe('api.dataflow.validation', () => {
  it('passes: examples, generated bodies and boundary values are accepted', async () => {
    const result = (await dataflow())['api.dataflow.validation']!;
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toBe('6 valid bodies accepted by 1 create operation');
    expect(api!.notes.size).toBe(0);
  });

  it('a unique field: variants that would duplicate the example are sent again with unique strings, and pass', async () => {
    const result = (await dataflow({ uniqueTitles: true }))['api.dataflow.validation']!;
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toBe('6 valid bodies accepted by 1 create operation');
    expect(api!.notes.size).toBe(0);
  });

  it('a 409 that unique strings do not cure is not judged a refusal: warn, naming the bodies', async () => {
    const result = (await dataflow({ alwaysConflicts: true }))['api.dataflow.validation']!;
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^6 of 6 valid bodies met 409 Conflict even with unique strings, so they were not judged: POST \/notes with .*, its strings made unique after a 409/);
    expect(result.evidence.accepted).toBe(0);
  });

  it('fails when a value at the documented edge is refused', async () => {
    const result = (await dataflow({ titleMax40: true }))['api.dataflow.validation']!;
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^1 of 6 valid bodies were refused: POST \/notes with "title" = "Buy milkx+…" \(maxLength 50\) → 422$/);
  });
});
