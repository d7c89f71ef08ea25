import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ProbeError, ProbeErrorCode, isProbeError, messageOf } from '@probe/core';
import { BrokerRefusal, isRefusal } from '../shared/driver.ts';
import type { NatsOptions } from './options.ts';

/** Server addresses as the NATS client takes them. */
export function serverList(options: Pick<NatsOptions, 'servers'>): string[] {
  return Array.isArray(options.servers) ? options.servers : [options.servers];
}

/** Connect once, without reconnects (a probe reports, it does not ride out outages). */
export async function openNats(options: NatsOptions): Promise<NatsConnection> {
  try {
    return await connect({
      servers: serverList(options), name: 'probe', timeout: options.connectTimeoutMs, reconnect: false, maxReconnectAttempts: 0,
      ...(options.user !== undefined ? { user: options.user, pass: options.pass } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
  } catch (error) {
    throw translateNats(error, serverList(options).join(','), options.connectTimeoutMs);
  }
}

/** The NATS client's errors in the probe's vocabulary; JetStream API errors on writes are broker refusals. */
export function translateNats(error: unknown, servers?: string, timeoutMs?: number): unknown {
  if (isProbeError(error) || isRefusal(error)) return error;
  const name = (error as { name?: string }).name ?? '';
  const message = messageOf(error);
  if (name === 'AuthorizationError' || /Authorization Violation|authentication/i.test(message)) {
    return new ProbeError(ProbeErrorCode.AUTH, `NATS refused the credentials: ${message}`, { cause: error, hint: 'check user/pass or token' });
  }
  if (name === 'TimeoutError' && servers) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, `${servers} sent no NATS INFO within ${timeoutMs} ms`, { cause: error, hint: 'is it a NATS client port (4222)? other servers (Kafka, AMQP, Redis) wait for the client to speak first' });
  }
  if (name === 'ConnectionError' || name === 'ClosedConnectionError' || /connection refused|ECONNREFUSED/i.test(message)) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, servers ? `${servers}: ${message}` : message, { cause: error });
  }
  if (name === 'NoRespondersError' || /no responders/i.test(message)) return new BrokerRefusal('NO_RESPONDERS', `no stream captures the subject (${message})`, { cause: error });
  if (name === 'JetStreamApiError' || name === 'JetStreamError') return new BrokerRefusal(`JetStream error ${(error as { code?: number }).code ?? ''}`.trim(), message, { cause: error });
  return error;
}

/** A `nats` CLI command line for this server (credentials as `***`). */
export function natsCli(options: Pick<NatsOptions, 'servers' | 'user' | 'token'>, args: string): string {
  const auth = options.user !== undefined ? ` --user ${options.user} --password '***'` : options.token !== undefined ? " --user '***'" : '';
  return `nats --server ${serverList(options)[0]}${auth} ${args}`;
}
