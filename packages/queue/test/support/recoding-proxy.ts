import net from 'node:net';

/**
 * A TCP proxy that re-encodes text on its way back to the client: every "ü"
 * (UTF-8 c3 bc) becomes "ue", same length, so the protocol's framing still
 * holds. It stands for middleware that transliterates payloads — the defect
 * `queue.ops.consume`'s byte comparison exists to catch.
 */
export async function startRecodingProxy(target: { host: string; port: number }): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    let carry = Buffer.alloc(0);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      let data = Buffer.concat([carry, chunk]);
      carry = data.at(-1) === 0xc3 ? data.subarray(-1) : Buffer.alloc(0);
      if (carry.length) data = data.subarray(0, -1);
      for (let index = data.indexOf('\u00fc'); index >= 0; index = data.indexOf('\u00fc', index + 2)) data.write('ue', index, 'latin1');
      client.write(data);
    });
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
