/** One line of CLUSTER NODES. */
export interface ClusterNodeLine {
  id: string;
  host: string;
  port: number;
  /** `myself`, `master`, `slave`, `fail`, `fail?`, `handshake`, `noaddr`, … */
  flags: string[];
  /** The master's id, for a replica. */
  masterId?: string;
  /** `connected` or `disconnected` (the cluster bus link). */
  link: string;
  /** Served slot ranges `[start, end]` (migrating/importing annotations left out). */
  slots: [number, number][];
}

/**
 * Parse CLUSTER NODES: `<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot> …`.
 * Unlike CLUSTER SLOTS it lists every replica, even one that has not
 * replicated a byte yet (CLUSTER SLOTS hides replicas at offset 0).
 */
export function parseClusterNodes(text: string): ClusterNodeLine[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [id = '', address = '', flags = '', master = '-', , , , link = '', ...slots] = line.trim().split(' ');
    const endpoint = address.split('@')[0] ?? '';
    const colon = endpoint.lastIndexOf(':');
    return {
      id,
      host: endpoint.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
      port: Number(endpoint.slice(colon + 1)),
      flags: flags.split(','),
      ...(master !== '-' ? { masterId: master } : {}),
      link,
      slots: slots.filter((slot) => !slot.startsWith('[')).map((slot) => {
        const [start, end] = slot.split('-').map(Number);
        return [start!, end ?? start!] as [number, number];
      }),
    };
  });
}
