import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Options of {@link createTestStream}. */
export interface TestStreamOptions {
  /** Default `file`. */
  storage?: 'file' | 'memory';
  /** Name prefix (default `test`): the stream is `<prefix>_<random>`, its subjects `<prefix>.<random>.>`. */
  prefix?: string;
}

/** A JetStream stream that belongs to one test. */
export interface TestStream {
  name: string;
  /** `<prefix>.<random>`: publish to `${subject}.anything`. */
  subject: string;
  connection: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Publish to `${subject}.${suffix}` and wait for each PubAck. */
  send(messages: (string | Uint8Array)[], suffix?: string): Promise<void>;
  /** Delete the stream (and its consumers) and close the connection. Idempotent. */
  delete(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A stream per test, deleted afterwards. Use in `beforeEach`/`afterEach` or with `await using`. */
export async function createTestStream(servers: string | string[], options: TestStreamOptions = {}): Promise<TestStream> {
  const connection = await connect({ servers, timeout: 3_000, reconnect: false });
  const jsm = await jetstreamManager(connection);
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const prefix = options.prefix ?? 'test';
  const name = `${prefix}_${id}`;
  const subject = `${prefix}.${id}`;
  await jsm.streams.add({ name, subjects: [`${subject}.>`], storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File });
  const js = jetstream(connection);
  let deleted: Promise<void> | undefined;
  const stream: TestStream = {
    name, subject, connection, js, jsm,
    async send(messages, suffix = 'test') {
      for (const message of messages) await js.publish(`${subject}.${suffix}`, message);
    },
    delete() {
      deleted ??= (async () => {
        await jsm.streams.delete(name).catch(() => {});
        await connection.close();
      })();
      return deleted;
    },
    [Symbol.asyncDispose]: () => stream.delete(),
  };
  return stream;
}
