import { AckPolicy } from '@nats-io/jetstream';
import { serviceUrl } from '@probe/services';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/support/run.ts';
import { createTestStream, type TestStream } from '../../testing/index.ts';
import { nats } from '../nats-probe.ts';

const servers = serviceUrl('nats');
const sampling = { samples: 4, intervalMs: 150 };

describe.skipIf(!servers)('NATS JetStream checks', () => {
  let stream: TestStream | undefined;
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await stream?.delete();
    stream = undefined;
  });
  const testStream = async (options = {}) => (stream = await createTestStream(servers!, { prefix: 'qt', ...options }));
  /** An application consumer: a durable with explicit acks that handles each message (ack, nak, or nothing). */
  const startConsumer = async (name: string, handle: 'ack' | 'nak' | 'hold', maxDeliver = -1) => {
    await stream!.jsm.consumers.add(stream!.name, { durable_name: name, ack_policy: AckPolicy.Explicit, max_deliver: maxDeliver, ack_wait: 500_000_000 });
    const messages = await (await stream!.js.consumers.get(stream!.name, name)).consume({ max_messages: 10 });
    void (async () => {
      for await (const message of messages) {
        if (handle === 'ack') message.ack();
        if (handle === 'nak') message.nak();
      }
    })();
    stops.push(() => messages.close().then(() => {}));
  };

  describe('queue.mgmt.health', () => {
    it('passes naming the version; fails below the required version', async () => {
      const result = await runCheck(nats({ servers: servers! }), 'queue.mgmt.health');
      expect(result.status).toBe('pass');
      expect(result.summary).toMatch(/^nats-server \d+\.\d+\.\d+ with JetStream: round trip [\d.]+ ms, \d+ streams, \d+ consumers$/);
      expect((await runCheck(nats({ servers: servers!, expect: { minVersion: '99' } }), 'queue.mgmt.health')).summary).toMatch(/^nats-server [\d.]+ is older than the required 99$/);
    });
  });

  describe('queue.mgmt.routing', () => {
    it('passes when the stream exists as declared and captures its subjects', async () => {
      await testStream();
      const result = await runCheck(nats({ servers: servers!, streams: [{ name: stream!.name, subjects: [`${stream!.subject}.created`], storage: 'file', replicas: 1 }] }), 'queue.mgmt.routing');
      expect(result).toMatchObject({ status: 'pass', summary: '1 declared stream exists as declared and captures its subjects' });
    });

    it('fails on wrong storage, a subject no stream captures, and a missing stream', async () => {
      await testStream();
      const result = await runCheck(nats({ servers: servers!, streams: [{ name: stream!.name, storage: 'memory', subjects: ['elsewhere.created'] }, { name: `${stream!.name}_missing` }] }), 'queue.mgmt.routing');
      expect(result).toMatchObject({ status: 'fail', summary: `${stream!.name}: storage file, expected memory; ${stream!.name} does not capture elsewhere.created → no stream; stream ${stream!.name}_missing does not exist` });
    });
  });

  describe('queue.mgmt.backlog', () => {
    it('passes for a consumer that keeps up', async () => {
      await testStream();
      await stream!.send(['a', 'b']);
      await startConsumer('app', 'ack');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const result = await runCheck(nats({ servers: servers!, consumers: [{ stream: stream!.name, name: 'app' }], sampling }), 'queue.mgmt.backlog');
      expect(result).toMatchObject({ status: 'pass', summary: '1 consumer OK over 4 samples 150 ms apart (backlog 0)' });
    });

    it('fails (STOP) for a consumer nobody is attached to while messages wait', async () => {
      await testStream();
      await stream!.jsm.consumers.add(stream!.name, { durable_name: 'idle', ack_policy: AckPolicy.Explicit });
      await stream!.send(['a', 'b', 'c']);
      const result = await runCheck(nats({ servers: servers!, consumers: [{ stream: stream!.name, name: 'idle' }], sampling }), 'queue.mgmt.backlog');
      expect(result).toMatchObject({ status: 'fail', summary: `consumer ${stream!.name}/idle STOP (backlog 3: no client is attached and the ack floor stayed at 0)` });
    });

    it('fails (STALL) for an attached consumer that never acknowledges', async () => {
      await testStream();
      await stream!.send(['a', 'b', 'c']);
      await startConsumer('stuck', 'hold');
      const result = await runCheck(nats({ servers: servers!, consumers: [{ stream: stream!.name, name: 'stuck' }], sampling }), 'queue.mgmt.backlog');
      expect(result.status).toBe('fail');
      expect(result.summary).toBe(`consumer ${stream!.name}/stuck STALL (backlog 3: the ack floor stayed at 0 while a client is attached)`);
    });

    it('fails for a consumer that does not exist', async () => {
      await testStream();
      expect(await runCheck(nats({ servers: servers!, consumers: [{ stream: stream!.name, name: 'ghost' }], sampling }), 'queue.mgmt.backlog')).toMatchObject({ status: 'fail', summary: `consumer ${stream!.name}/ghost does not exist` });
    });
  });

  describe('queue.processing.retry-dlq', () => {
    it('a nak’ed message comes max_deliver times, then one MAX_DELIVERIES advisory names it', async () => {
      const result = await runCheck(nats({ servers: servers! }), 'queue.processing.retry-dlq');
      expect(result).toMatchObject({ status: 'pass', summary: 'the poison message was delivered 3 times, then reported by one MAX_DELIVERIES advisory' });
      expect(result.evidence.deliveries).toEqual([{ deliveryCount: 1, redelivered: false }, { deliveryCount: 2, redelivered: true }, { deliveryCount: 3, redelivered: true }]);
    });
  });

  describe('queue.processing.dlq-health', () => {
    it('passes when nothing is given up; fails when a consumer exhausts max_deliver during the window', async () => {
      await testStream();
      await startConsumer('healthy', 'ack');
      const probe = (name: string) => nats({ servers: servers!, consumers: [{ stream: stream!.name, name }], sampling: { samples: 2, intervalMs: 600 } });
      expect(await runCheck(probe('healthy'), 'queue.processing.dlq-health')).toMatchObject({ status: 'pass', summary: '1 consumer: no message given up or redelivered in 600 ms' });
      await startConsumer('failing', 'nak', 2);
      setTimeout(() => { void stream!.send(['poison']); }, 100);
      const result = await runCheck(probe('failing'), 'queue.processing.dlq-health');
      expect(result.status).toBe('fail');
      expect(result.summary).toMatch(new RegExp(`^${stream!.name}/failing: 1 message exhausted max_deliver during the 600 ms window \\(stream seq 1\\)`));
    });
  });

  describe('queue.mgmt.cleanup', () => {
    it('passes; warns about a stream left by a crashed run', async () => {
      expect(await runCheck(nats({ servers: servers! }), 'queue.mgmt.cleanup')).toMatchObject({ status: 'pass', summary: 'probe streams can be deleted; no probe leftovers older than 60 min' });
      stream = await createTestStream(servers!, { prefix: `probe_${(Date.now() - 7_200_000).toString(36)}abc123` });
      const result = await runCheck(nats({ servers: servers! }), 'queue.mgmt.cleanup');
      expect(result).toMatchObject({ status: 'warn', summary: `leftovers of earlier probe runs: 1 stream (${stream.name})` });
    });
  });
});
