/**
 * bench/resilience-proxy — overhead of @probe/resilience's fault proxy with no toxics.
 * Run: pnpm bench resilience   (builds first: pnpm build)
 *
 * Against a local TCP echo server on 127.0.0.1, direct and through the proxy:
 * - added latency per round trip: 2 000 sequential 64-byte ping-pongs on one connection
 *   (median and p99 per round trip, and the difference);
 * - throughput ceiling: 256 MiB pushed one way through one connection, and through 4
 *   connections at once (MiB/s, and the proxy's share of the direct figure).
 * The proxy runs in this process, as it does inside a probe run; `probe proxy` runs it alone.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { startFaultProxy } = await import(join(root, 'packages/resilience/dist/index.js'));

const echo = createServer((socket) => socket.pipe(socket));
const sink = createServer((socket) => { socket.resume(); socket.on('end', () => socket.end('done')); });
await Promise.all([new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve)), new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve))]);
const echoPort = (echo.address() as AddressInfo).port;
const sinkPort = (sink.address() as AddressInfo).port;
const echoProxy = await startFaultProxy({ upstream: `127.0.0.1:${echoPort}` });
const sinkProxy = await startFaultProxy({ upstream: `127.0.0.1:${sinkPort}` });

async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  socket.setNoDelay(true);
  return socket;
}

/** Microseconds per 64-byte round trip, sorted. */
async function roundTrips(port: number, count: number): Promise<number[]> {
  const socket = await open(port);
  const payload = Buffer.alloc(64, 'p');
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = process.hrtime.bigint();
    socket.write(payload);
    let received = 0;
    while (received < payload.length) received += ((await once(socket, 'data')) as [Buffer])[0].length;
    samples.push(Number(process.hrtime.bigint() - started) / 1_000);
  }
  socket.destroy();
  return samples.sort((a, b) => a - b);
}

/** MiB/s pushing `mebibytes` one way over `connections` connections. */
async function throughput(port: number, mebibytes: number, connections: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 't');
  const perConnection = (mebibytes * 1024 * 1024) / connections;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    const socket = await open(port);
    socket.resume();
    for (let sent = 0; sent < perConnection; sent += chunk.length) {
      if (!socket.write(chunk)) await once(socket, 'drain');
    }
    socket.end();
    await once(socket, 'close');
  }));
  return mebibytes / ((performance.now() - started) / 1_000);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
await roundTrips(echoPort, 200);   // warm-up
await roundTrips(echoProxy.port, 200);
const direct = await roundTrips(echoPort, 2_000);
const proxied = await roundTrips(echoProxy.port, 2_000);
console.log(`round trip, 64 B ping-pong, 2 000 sequential (Node ${process.versions.node})`);
console.log(`  direct            median ${percentile(direct, 0.5).toFixed(0).padStart(5)} µs   p99 ${percentile(direct, 0.99).toFixed(0).padStart(5)} µs`);
console.log(`  through the proxy median ${percentile(proxied, 0.5).toFixed(0).padStart(5)} µs   p99 ${percentile(proxied, 0.99).toFixed(0).padStart(5)} µs`);
console.log(`  added per round trip: median ${(percentile(proxied, 0.5) - percentile(direct, 0.5)).toFixed(0)} µs, p99 ${(percentile(proxied, 0.99) - percentile(direct, 0.99)).toFixed(0)} µs`);

console.log('\nthroughput ceiling, 256 MiB one way');
for (const connections of [1, 4]) {
  await throughput(sinkPort, 32, connections);
  const straight = await throughput(sinkPort, 256, connections);
  const through = await throughput(sinkProxy.port, 256, connections);
  console.log(`  ${connections} connection${connections === 1 ? ' ' : 's'}   direct ${straight.toFixed(0).padStart(5)} MiB/s   through the proxy ${through.toFixed(0).padStart(5)} MiB/s   ${(through / straight * 100).toFixed(0)} % of direct`);
}
await echoProxy.close();
await sinkProxy.close();
echo.close();
sink.close();
