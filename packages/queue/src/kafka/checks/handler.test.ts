import { afterEach, describe, expect, it } from 'vitest';
import { brokers, startApp, testTopic, type App } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import type { TestTopic } from '../../testing/index.ts';
import { kafka } from '../kafka-probe.ts';

describe.skipIf(!brokers)('queue.processing.handler', () => {
  let input: TestTopic;
  let app: App | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await input?.delete();
  });

  /** The application under test: upper-cases each input message onto `output`, keeping its headers (or, broken, does nothing). */
  const startEnricher = async (output: string, broken = false) => {
    const producer = input.kafka.producer();
    await producer.connect();
    const started = await startApp(input.kafka, {
      groupId: input.ownGroup('enricher'), topics: [input.name],
      handle: async ({ message }) => {
        if (broken) return;
        await producer.send({ topic: output, messages: [{ key: message.key, value: message.value!.toString().toUpperCase(), headers: message.headers }] });
      },
    });
    await started.joined;
    app = { ...started, stop: async () => { await started.stop(); await producer.disconnect(); } };
  };

  it('passes when the handler puts the effect on its output topic in time', async () => {
    input = await testTopic();
    const output = await input.related('.out');
    await startEnricher(output);
    const before = await input.endOffsets();
    const result = await runCheck(kafka({ brokers: brokers!, handlers: [{ name: 'enricher', input: input.name, output, message: { key: 'order-1', value: { id: 1 } }, timeoutMs: 3_000 }] }), 'queue.processing.handler');
    expect(result.status).toBe('pass');
    // The only write outside the probe's own topics: exactly one marked message on the declared input.
    expect(Number((await input.endOffsets())[0]) - Number(before[0])).toBe(1);
    expect(result.summary).toMatch(/^every handler produced its effect: enricher in \d+ ms$/);
    const [handler] = result.evidence.handlers as { effect: { topic: string; value: string } }[];
    expect(handler!.effect).toMatchObject({ topic: output, value: '{"ID":1}' });
  });

  it('fails when the handler produces nothing, naming where the message went', async () => {
    input = await testTopic();
    const output = await input.related('.out');
    await startEnricher(output, true);
    const result = await runCheck(kafka({ brokers: brokers!, handlers: [{ name: 'enricher', input: input.name, output, message: { value: 'x' }, timeoutMs: 800 }] }), 'queue.processing.handler');
    expect(result).toMatchObject({ status: 'fail', summary: `enricher: no message on ${output} matched within 800 ms after the send to ${input.name} (partition 0, offset 0)` });
    expect((result.evidence.handlers as { reproduce: string }[])[0]!.reproduce).toBe(`kcat -b ${brokers} -C -t ${output} -o -10 -e -f '%p %o %k %h %s\\n'`);
  });

  it('a custom match and a verify function decide the effect', async () => {
    input = await testTopic();
    const output = await input.related('.out');
    await startEnricher(output);
    const seen: string[] = [];
    const probe = kafka({
      brokers: brokers!,
      handlers: [{
        name: 'enricher', input: input.name, output, timeoutMs: 3_000,
        message: (id) => ({ value: `order ${id}` }),
        match: (message, id) => message.value === `ORDER ${id.toUpperCase()}`,
        verify: ({ id }) => { seen.push(id); return seen.length >= 2; },
      }],
    });
    const result = await runCheck(probe, 'queue.processing.handler');
    expect(result.status).toBe('pass');
    expect(seen.length).toBe(2);
    const failing = kafka({ brokers: brokers!, handlers: [{ name: 'never', input: input.name, message: { value: 'y' }, verify: () => false, timeoutMs: 300 }] });
    expect(await runCheck(failing, 'queue.processing.handler')).toMatchObject({ status: 'fail', summary: `never: verify() did not return true within 300 ms after the send to ${input.name}` });
  });

  it('skips without declared handlers', async () => {
    expect(await runCheck(kafka({ brokers: brokers! }), 'queue.processing.handler')).toMatchObject({ status: 'skip', reason: 'no handlers declared (option `handlers`)' });
  });
});
