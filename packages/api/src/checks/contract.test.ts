import { afterEach, describe, expect, it } from 'vitest';
import { startNotesApi, type NotesApi } from '../../test/fixtures/notes-api.ts';
import { notesOptions, runProbe } from '../../test/fixtures/run.ts';
import { notesSpec } from '../../test/fixtures/notes-spec.ts';

let api: NotesApi | undefined;
afterEach(async () => { await api?.close(); api = undefined; });

type Spec = ReturnType<typeof notesSpec> & { paths: Record<string, any>; components: { schemas: Record<string, any> } };

/** Version 1 of the notes spec: an /archive operation, `tags` always in a note, `priority` optional. */
function previousVersion(): Spec {
  const spec = notesSpec() as Spec;
  spec.info = { title: 'Notes', version: '1.0.0' };
  spec.paths['/archive'] = { get: { responses: { 200: { description: 'ok' } } } };
  spec.components.schemas.NoteInput.required = ['title'];
  spec.components.schemas.Note.allOf[1].required.push('tags');
  spec.components.schemas.Note.allOf[1].properties.tags = { type: 'array', items: { type: 'string' } };
  return spec;
}

async function contract(previous: Record<string, unknown>, failOn?: 'error' | 'warning') {
  api = await startNotesApi();
  const results = await runProbe(notesOptions(api.url, { contract: { previous, ...(failOn ? { failOn } : {}) } }), { only: ['api.contract.breaking'] });
  return results['api.contract.breaking']!;
}

describe('api.contract.breaking', () => {
  it('passes against the same version', async () => {
    const result = await contract(notesSpec());
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toMatch(/^no breaking change from Notes \(previous\) to the current spec; \d+ live answers still match the previous version$/);
  });

  it('fails on breaking changes and names the clients that break, and the live API breaking v1 clients', async () => {
    const result = await contract(previousVersion());
    expect(result.status).toBe('fail');
    expect(new Set(result.evidence.clientsThatBreak as string[])).toEqual(new Set(['GET /archive', 'GET /notes', 'POST /notes', 'GET /notes/{id}', 'PATCH /notes/{id}']));
    const rules = (result.evidence.breaking as { items: { rule: string }[] }).items.map((change) => change.rule);
    expect(new Set(rules)).toEqual(new Set(['removed-operation', 'response-property-removed', 'new-required-property']));
    expect(result.summary).toContain('the live API breaks clients of the previous version on');
    expect(JSON.stringify(result.evidence.liveAgainstPrevious)).toContain(`must have required property 'tags'`);
  });

  it('warns on changes that may affect clients, and fails on them with failOn: warning', async () => {
    const previous = notesSpec() as Spec;
    previous.paths['/health'].get.responses[200].content['application/json'].schema.properties.status.enum = ['ok'];
    const warned = await contract(previous);
    expect(warned.status).toBe('warn');
    expect(warned.summary).toBe('no breaking change; 1 change may affect clients: GET /health 200 response /status may now be "degraded"');
    await api?.close();
    expect((await contract(previous, 'warning')).status).toBe('fail');
  });
});
