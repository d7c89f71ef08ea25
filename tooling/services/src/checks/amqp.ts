import { connect } from 'amqplib';

/** Ready when an AMQP 0-9-1 connection opens (handshake and login done). */
export async function checkAmqp(url: string, timeoutMs: number): Promise<void> {
  const connection = await connect(url, { timeout: timeoutMs });
  connection.on('error', () => {});
  await connection.close();
}
