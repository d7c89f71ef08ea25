import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { ProbeError, ProbeErrorCode, isProbeError, messageOf, redactUrl, systemCode } from '@probe/core';
import { isRefusal } from '../shared/driver.ts';

/**
 * Open an AMQP connection within `timeoutMs`, with an `error` listener from
 * the first moment (amqplib rethrows unhandled connection errors, #649).
 */
export async function openAmqp(url: string, timeoutMs: number): Promise<ChannelModel> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const connecting = amqp.connect(url, { timeout: timeoutMs, clientProperties: { connection_name: 'probe' } });
  // A connection that completes after the timeout is closed at once.
  connecting.then((late) => { if (timedOut) void late.close().catch(() => {}); }, () => {});
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new ProbeError(ProbeErrorCode.UNREACHABLE, `${addressOf(url)} did not complete the AMQP handshake within ${timeoutMs} ms`, { hint: 'is it an AMQP listener (5672, or 5671 for amqps)?' }));
    }, timeoutMs);
  });
  try {
    const connection = await Promise.race([connecting, timeout]);
    connection.on('error', () => {});
    return connection;
  } catch (error) {
    throw translateAmqp(error, url);
  } finally {
    clearTimeout(timer);
  }
}

/** A channel with an `error` listener: a channel-level error (404, 406) closes it, never the connection or the process. */
export async function openChannel(connection: ChannelModel): Promise<Channel> {
  const channel = await connection.createChannel();
  channel.on('error', () => {});
  return channel;
}

/** Run `work` on a throwaway channel (passive declares close their channel on 404/406); returns its result or the error. */
export async function onThrowaway<T>(connection: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error & { code?: number } }> {
  const channel = await openChannel(connection);
  try {
    return { ok: true, value: await work(channel) };
  } catch (error) {
    return { ok: false, error: error as Error & { code?: number } };
  } finally {
    await channel.close().catch(() => {});
  }
}

/** `host:port` of an AMQP URL, for messages. */
function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'amqps:' ? '5671' : '5672')}`;
  } catch {
    return url;
  }
}

/** amqplib's errors in the probe's vocabulary (unreachable, auth, a missing vhost). */
export function translateAmqp(error: unknown, url?: string): unknown {
  if (isProbeError(error) || isRefusal(error)) return error;
  const message = messageOf(error);
  const where = url ? `${addressOf(url)}` : 'the broker';
  if (/ACCESS-REFUSED|ACCESS_REFUSED/.test(message)) {
    return new ProbeError(ProbeErrorCode.AUTH, `RabbitMQ refused the login: ${message}`, { cause: error, hint: 'check the user and password in the URL' });
  }
  if (/Expected ConnectionOpenOk; got <ConnectionClose/.test(message)) {
    const vhost = url ? decodeURIComponent(new URL(url).pathname.slice(1)) || '/' : '?';
    return new ProbeError(ProbeErrorCode.AUTH, `RabbitMQ closed the connection while opening virtual host "${vhost}"`, { cause: error, hint: 'the vhost in the URL does not exist, or the user has no access to it' });
  }
  if (/Socket closed abruptly during opening handshake|Frame size .* exceeds|Unexpected frame|ETIMEDOUT/.test(message)) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, `${where} did not speak AMQP: ${message}`, { cause: error, hint: 'is it an AMQP listener (5672, or 5671 for amqps)?' });
  }
  if (systemCode(error) || /Connection closed|Channel ended|socket/i.test(message)) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, url ? `${redactUrl(url)}: ${message}` : message, { cause: error });
  }
  return error;
}
