import { Redis } from 'ioredis';

/** Ready when PING answers PONG. One connection attempt, no retries; rejects with the socket's own error. */
export async function checkRedis(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let socketError: Error | undefined;
  redis.on('error', (error: Error) => {
    socketError ??= error;
  });
  try {
    await redis.connect();
    const answer = await redis.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  } catch (error) {
    throw socketError ?? error; // ioredis reports "Connection is closed." and keeps the cause in 'error'
  } finally {
    redis.disconnect();
  }
}
