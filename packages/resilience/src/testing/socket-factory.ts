import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';

/** What kafkajs passes its `socketFactory`. */
export interface SocketFactoryArguments {
  host: string;
  port: number;
  ssl?: ConnectionOptions | boolean | null;
  onConnect: () => void;
}

/**
 * A kafkajs `socketFactory` that sends connections for `host:port` to another address —
 * a fault proxy — without touching the brokers' advertised listeners. Brokers advertise
 * their own address in metadata, so a client bootstrapped through a proxy connects to them
 * directly afterwards (the bypass of Shopify/toxiproxy#171); mapping every advertised
 * address to a proxy keeps all traffic under the faults:
 * `new Kafka({ brokers: [proxy.listen], socketFactory: proxiedSocketFactory({ '127.0.0.1:9092': proxy.listen }) })`.
 */
export function proxiedSocketFactory(routes: Record<string, string>): (args: SocketFactoryArguments) => Socket {
  return ({ host, port, ssl, onConnect }) => {
    const mapped = routes[`${host}:${port}`];
    const [targetHost, targetPort] = mapped ? splitAddress(mapped) : [host, port];
    const socket = ssl
      ? connectTls({ host: targetHost, port: targetPort, ...(isIP(host) ? {} : { servername: host }), ...(typeof ssl === 'object' ? ssl : {}) }, onConnect)
      : connectTcp({ host: targetHost, port: targetPort }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
}

function splitAddress(address: string): [string, number] {
  const index = address.lastIndexOf(':');
  return [address.slice(0, index).replace(/^\[|\]$/g, ''), Number(address.slice(index + 1))];
}
