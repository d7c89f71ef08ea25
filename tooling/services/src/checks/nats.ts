import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Ready when JetStream answers an account-info request (so `-js` is on). */
export async function checkNats(url: string, timeoutMs: number): Promise<void> {
  const connection = await connect({ servers: url, timeout: timeoutMs, reconnect: false });
  try {
    const manager = await jetstreamManager(connection, { timeout: timeoutMs });
    await manager.getAccountInfo();
  } finally {
    await connection.close();
  }
}
