import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineFlow, defineProbe, expectStep, run, type FlowStep, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { httpStep } from './steps.ts';
import { startFakeUpstream, type FakeUpstream } from './testing/fake-upstream.ts';

let api: FakeUpstream;
beforeAll(async () => {
  api = await startFakeUpstream({
    routes: {
      'POST /orders': { status: 201, body: { id: 'o1', total: 30 } },
      'GET /orders/:id': [{ body: { id: 'o1', status: 'pending' } }, { body: { id: 'o1', status: 'pending' } }, { body: { id: 'o1', status: 'paid' } }],
      'DELETE /orders/:id': { status: 204 },
      'GET /broken': { status: 500, body: { error: 'boom' } },
    },
  });
});
afterAll(() => api.close());

async function runFlow(steps: FlowStep[]): Promise<Result> {
  const events = collectEvents();
  await run([defineProbe({ target: { kind: 'system', name: 'shop' }, checks: [defineFlow({ name: 'order', steps, timeoutMs: 3_000 })] })], { reporters: [events] });
  const end = events.events.find((event) => event.type === 'check-end');
  return (end as { result: Result }).result;
}

describe('httpStep', () => {
  it('sends the request, hands the answer to later steps, waits for an eventual state and undoes its effect', async () => {
    api.reset();
    const result = await runFlow([
      httpStep({
        name: 'place', baseUrl: api.url, method: 'POST', path: '/orders', json: { items: [1] }, headers: { authorization: 'Bearer secret-token-1' }, status: 201,
        undo: (placed) => ({ path: `/orders/${(placed.body as { id: string }).id}` }),
      }),
      httpStep({
        name: 'processed', baseUrl: api.url, path: (state) => `/orders/${((state.place as { body: { id: string } }).body).id}`,
        expect: (read) => expectStep((read.body as { status: string }).status === 'paid', 'not paid yet'), eventually: { withinMs: 2_000, intervalMs: 20 },
      }),
    ]);
    expect(result.status).toBe('pass');
    const steps = result.evidence.steps as { step: string; output: { status: number; attempts: number } }[];
    expect(steps.map((step) => [step.step, step.output.status, step.output.attempts])).toEqual([['place', 201, 1], ['processed', 200, 3]]);
    expect(api.requestsTo('POST /orders')[0]!.json).toEqual({ items: [1] });
    expect(api.requestsTo('DELETE /orders/:id').map((request) => request.path)).toEqual(['/orders/o1']);
  });

  it('fails at the step with the curl line, the status and the body, secrets redacted', async () => {
    const result = await runFlow([httpStep({ name: 'broken', baseUrl: api.url, path: '/broken', headers: { authorization: 'Bearer secret-token-2' } })]);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('flow order failed at step 1/1 "broken" (api): GET /broken answered 500, expected 2xx');
    const [step] = result.evidence.steps as { output: { curl: string; status: number; body: string } }[];
    expect(step!.output).toMatchObject({ status: 500, body: '{"error":"boom"}' });
    expect(step!.output.curl).toContain(`'${api.url}/broken'`);
    expect(JSON.stringify(result)).not.toContain('secret-token-2');
  });

  it('fails when the eventual state does not come within the window, saying how often it asked', async () => {
    api.route('GET /orders/:id', { body: { status: 'pending' } });
    const result = await runFlow([httpStep({
      name: 'processed', baseUrl: api.url, path: '/orders/o1', eventually: { withinMs: 200, intervalMs: 50 },
      expect: (read) => ((read.body as { status: string }).status === 'paid' ? true : `status is ${(read.body as { status: string }).status}`),
    })]);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/step 1\/1 "processed" \(api\): GET \/orders\/o1: status is pending$/);
    expect((result.evidence.steps as { output: { attempts: number } }[])[0]!.output.attempts).toBeGreaterThanOrEqual(3);
  });

  it('is an error, not a failure, when the API cannot be reached', async () => {
    const result = await runFlow([httpStep({ name: 'down', baseUrl: 'http://127.0.0.1:1', path: '/' })]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_UNREACHABLE' } });
  });
});
