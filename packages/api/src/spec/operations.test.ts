import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bodyOf, jsonBodyMedia, positiveCase } from '../cases/build.ts';
import { notesSpec } from '../../test/fixtures/notes-spec.ts';
import { loadSpec, mediaFor, responseFor } from './operations.ts';
import { invalidBodies } from './mutations.ts';
import { createValidator } from './validator.ts';

const PETSTORE = fileURLToPath(new URL('../../test/fixtures/specs/petstore-3.1/openapi.yaml', import.meta.url));
const GITHUB = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');

describe('loadSpec: an OpenAPI 3.1 document split across YAML files', () => {
  it('resolves $refs across files and lists the operations with their security', async () => {
    const spec = await loadSpec(PETSTORE);
    expect(spec.version).toBe('3.1');
    expect(spec.operations.map((operation) => [operation.key, operation.secured])).toEqual([
      ['GET /pets', true], ['POST /pets', true], ['GET /pets/{petId}', false],
    ]);
    const list = spec.operations[0]!;
    expect(list.parameters).toMatchObject([{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 20 } }]);
  });

  it('validates answers: 3.1 type arrays, const, oneOf with null, a recursive schema, formats', async () => {
    const spec = await loadSpec(PETSTORE);
    const validator = createValidator();
    const schema = mediaFor(responseFor(spec.operations[2]!, 200)!, 'application/json')!.schema()!;
    const pet = { id: 7, status: 'available', name: 'Rex', kind: 'dog', nickname: null, owner: { email: 'a@example.com' }, category: { name: 'a', parent: { name: 'b' } } };
    expect(validator.validate(schema, pet)).toEqual([]);
    expect(validator.validate(schema, { ...pet, owner: { email: 'not-an-email' } }).map((problem) => problem.pointer)).toContain('/owner/email');
    expect(validator.validate(schema, { ...pet, category: { parent: {} } }).map((problem) => problem.pointer)).toContain('/category');
    const error = mediaFor(responseFor(spec.operations[1]!, 422)!, 'application/problem+json')!.schema()!;
    expect(validator.validate(error, { title: 'bad', status: 399 })[0]!.message).toBe('must be > 399');
  });

  it('generates request bodies that validate, leaving readOnly fields out, and invalid ones that do not', async () => {
    const spec = await loadSpec(PETSTORE);
    const create = spec.operations[1]!;
    const body = bodyOf(create, 'r1') as Record<string, unknown>;
    const schema = jsonBodyMedia(create)!.schema()!;
    const validator = createValidator();
    expect(body).toMatchObject({ name: 'Rex', kind: 'dog' });
    expect(validator.validate(schema, body)).toEqual([]);
    for (const mutation of invalidBodies(schema, body, 20)) {
      expect(validator.validate(schema, mutation.value), mutation.label).not.toEqual([]);
    }
  });

  it('rejects Swagger 2.0 and unreadable documents with a config error', async () => {
    await expect(loadSpec({ swagger: '2.0', paths: {} })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG', message: 'expected an OpenAPI 3.0 or 3.1 document, got Swagger 2.0' });
    await expect(loadSpec('/nonexistent/openapi.yaml')).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG' });
    await expect(loadSpec({ openapi: '3.0.3', paths: { '/x': { get: { responses: { 200: { $ref: '#/components/responses/Missing' } } } } } }))
      .rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG', message: 'unresolved $ref #/components/responses/Missing: no "components"' });
  });
});

describe('loadSpec: a 3.0 document with allOf, nullable and readOnly', () => {
  it('requires readOnly fields in answers but never in requests', async () => {
    const spec = await loadSpec(notesSpec());
    const create = spec.operations.find((operation) => operation.key === 'POST /notes')!;
    const validator = createValidator();
    const answer = mediaFor(responseFor(create, 201)!, 'application/json')!.schema()!;
    expect(validator.validate(answer, { title: 'x', priority: 1, body: null })[0]!.message).toBe("must have required property 'id'");
    expect(validator.validate(jsonBodyMedia(create)!.schema()!, { title: 'x', priority: 1, body: null })).toEqual([]);
  });
});

describe("GitHub's published OpenAPI document (@octokit/openapi, no network)", () => {
  it('parses it and derives a case for every operation within a bounded time', async () => {
    const started = performance.now();
    const spec = await loadSpec(GITHUB);
    let bodies = 0;
    let negatives = 0;
    for (const operation of spec.operations) {
      const built = positiveCase(operation, { runId: 'gh', parameters: { owner: 'octocat', repo: 'hello-world' } });
      expect(built.send.path, operation.key).not.toMatch(/[{}]/);
      const schema = jsonBodyMedia(operation)?.schema();
      if (schema) {
        bodies += 1;
        negatives += invalidBodies(schema, built.send.json, 8).length;
      }
    }
    const elapsed = performance.now() - started;
    console.log(`[figure] GitHub api.github.com.json: ${spec.operations.length} operations loaded and cased in ${Math.round(elapsed)} ms`);
    expect(spec.version).toBe('3.0');
    expect(spec.operations.length).toBeGreaterThan(1_000);
    expect(bodies).toBeGreaterThan(300);
    expect(negatives).toBeGreaterThan(1_000);
    expect(elapsed).toBeLessThan(3_000);
    const repo = spec.operations.find((operation) => operation.key === 'GET /repos/{owner}/{repo}')!;
    expect(positiveCase(repo, { runId: 'gh', parameters: { owner: 'octocat', repo: 'hello-world' } }).send.path).toBe('/repos/octocat/hello-world');
    const schema = mediaFor(responseFor(repo, 200)!, 'application/json')!.schema()!;
    expect(Object.keys(schema.$defs as object).length).toBeGreaterThan(3);
    expect(createValidator().validate(schema, { id: 1 }).length).toBeGreaterThan(0);
  }, 10_000);
});
