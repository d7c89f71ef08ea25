import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isRefusal } from '../shared/driver.ts';
import { translate } from './client.ts';
import { kafkaOptionsSchema } from './options.ts';
import { kafkaTool, kcat } from './reproduce.ts';

// kafkajs's own error classes, built the way kafkajs builds them, for the answers a single
// PLAINTEXT broker cannot give (a SASL listener rejecting a password, ACLs, timeouts).
const { KafkaJSSASLAuthenticationError, KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded, KafkaJSRequestTimeoutError, KafkaJSConnectionError } = kafkajs as unknown as Record<string, new (...args: unknown[]) => Error>;
const protocol = (type: string, message: string) => new KafkaJSProtocolError!({ type, message, code: 0, retriable: true });
const retried = (cause: Error) => new KafkaJSNumberOfRetriesExceeded!(cause, { retryCount: 2, retryTime: 900 });

describe('translate: kafkajs errors in the probe vocabulary', () => {
  it('a rejected SASL password is PROBE_ERR_AUTH with a next step', () => {
    const error = translate(new KafkaJSSASLAuthenticationError!('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512'));
    expect(error).toMatchObject({ code: 'PROBE_ERR_AUTH', message: expect.stringMatching(/^SASL authentication failed: .*invalid credentials/), hint: expect.stringContaining('sasl.password') });
  });

  it('ACLs (any *_AUTHORIZATION_FAILED, also wrapped in retries) are PROBE_ERR_AUTH naming what to grant', () => {
    expect(translate(retried(protocol('TOPIC_AUTHORIZATION_FAILED', 'Not authorized to access topics: [Topic authorization failed]')))).toMatchObject({
      code: 'PROBE_ERR_AUTH', message: expect.stringContaining('TOPIC_AUTHORIZATION_FAILED'), hint: expect.stringContaining('probe.* topics'),
    });
  });

  it('a SASL mechanism the listener does not offer is PROBE_ERR_AUTH', () => {
    expect(translate(protocol('UNSUPPORTED_SASL_MECHANISM', 'The broker does not support the requested SASL mechanism'))).toMatchObject({ code: 'PROBE_ERR_AUTH', hint: expect.stringContaining('sasl.enabled.mechanisms') });
  });

  it('probe-topic settings the cluster rejects are PROBE_ERR_CONFIG when creating a topic', () => {
    expect(translate(protocol('INVALID_REPLICATION_FACTOR', 'Replication factor: 3 larger than available brokers: 1.'), 'creating the probe topic probe.r.ops')).toMatchObject({
      code: 'PROBE_ERR_CONFIG', message: 'creating the probe topic probe.r.ops failed: INVALID_REPLICATION_FACTOR: Replication factor: 3 larger than available brokers: 1.',
    });
  });

  it('produce refusals are broker refusals (a fail, with the broker’s words), also after retries', () => {
    const refusal = translate(retried(protocol('NOT_ENOUGH_REPLICAS', 'Messages are rejected since there are fewer in-sync replicas than required')));
    expect(isRefusal(refusal)).toBe(true);
    expect(refusal).toMatchObject({ reason: 'NOT_ENOUGH_REPLICAS' });
  });

  it('timeouts and lost connections', () => {
    expect(translate(new KafkaJSRequestTimeoutError!('Request Metadata(key: 3, version: 6) timed out'))).toMatchObject({ code: 'PROBE_ERR_TIMEOUT' });
    expect(translate(retried(new KafkaJSConnectionError!('Connection error: read ECONNRESET')))).toMatchObject({ code: 'PROBE_ERR_UNREACHABLE' });
    expect(translate(new Error('Broker not connected'))).toMatchObject({ code: 'PROBE_ERR_UNREACHABLE' });
  });

  it('anything else is returned as is', () => {
    const error = new TypeError('boom');
    expect(translate(error)).toBe(error);
  });
});

describe('reproduction commands', () => {
  const options = (extra: object) => kafkaOptionsSchema.parse({ brokers: 'k1:9092,k2:9092', ...extra });
  it('kcat with the listener’s security settings, the password never in clear', () => {
    expect(kcat(options({}), '-L')).toBe('kcat -b k1:9092,k2:9092 -L');
    expect(kcat(options({ ssl: true }), '-L')).toBe('kcat -b k1:9092,k2:9092 -X security.protocol=SSL -L');
    expect(kcat(options({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'probe', password: 's3cret' } }), '-L'))
      .toBe('kcat -b k1:9092,k2:9092 -X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=probe -X sasl.password=*** -L');
  });
  it('Kafka’s own tools', () => {
    expect(kafkaTool(options({}), 'kafka-topics.sh', '--describe')).toBe('kafka-topics.sh --bootstrap-server k1:9092,k2:9092 --describe');
  });
});
