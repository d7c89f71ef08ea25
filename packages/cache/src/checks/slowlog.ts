import { messageOf } from '@probe/core';
import type { Cluster, Redis } from 'ioredis';
import { connectionsOf, nodesOf, type RedisNode } from '../deployment.ts';
import type { CacheResources } from '../resources.ts';
import { abortable, truncate } from '../util.ts';
import { ITEM, type CacheCheck } from './shared.ts';

/** LATENCY DOCTOR's report is cut to this many characters in the evidence. */
const DOCTOR_CHARS = 1_500;

/** A SLOWLOG entry, as people read it. */
interface SlowEntry {
  node: string;
  id: number;
  time: string;
  durationMs: number;
  /** The command and its first key; values are left out (they may hold application data). */
  command: string;
  client: string;
}

/** A LATENCY LATEST event. */
interface LatencyEvent {
  node: string;
  event: string;
  time: string;
  latestMs: number;
  maxMs: number;
}

/**
 * `cache.strategy.slowlog`: SLOWLOG GET and LATENCY LATEST on every node,
 * entries within `slowlogLookbackMs` and at or above `slowCommandMs` counted
 * (connections of any probe run left out), LATENCY DOCTOR's report attached.
 * Warns above `maxSlowEntries`; never fails. Notes when the slowlog threshold
 * or the latency monitor would hide slow commands.
 */
export const slowlogCheck: CacheCheck = {
  id: 'cache.strategy.slowlog',
  title: 'No recent slow commands or latency events above the threshold',
  checklist: [ITEM.performance, ITEM.efficiency],
  async run({ resources, signal, redact }) {
    const { deployment, options } = resources;
    const { slowCommandMs, slowlogLookbackMs, maxSlowEntries } = options.thresholds;
    const since = Date.now() - slowlogLookbackMs;
    const reports = await abortable(Promise.all(nodesOf(deployment).map((node) => readNode(node, options.sample.slowlogEntries, redact))), signal);
    const own = ownAddresses(resources);
    // This run's connections, and any probe run's (named probe:<runId>): the probe's traffic is not the application's.
    const isOwn = (entry: SlowEntry) => /\(probe:[^)]*\)$/.test(entry.client) || own.has(entry.client.split(' ')[0]!);
    const slow = reports.flatMap((report) => report.entries).filter((entry) => Date.parse(entry.time) >= since && entry.durationMs >= slowCommandMs && !isOwn(entry));
    const events = reports.flatMap((report) => report.events).filter((event) => Date.parse(event.time) >= since && event.latestMs >= slowCommandMs);
    slow.sort((a, b) => b.durationMs - a.durationMs);
    const notes = reports.flatMap((report) => report.notes);
    const evidence = {
      lookbackMs: slowlogLookbackMs,
      slowCommandMs,
      slowEntries: slow.slice(0, 10),
      latencyEvents: events,
      nodes: reports.map(({ node, threshold, monitor, doctor }) => ({ node, slowlogLogSlowerThanUs: threshold, latencyMonitorThresholdMs: monitor, latencyDoctor: doctor })),
      ...(notes.length > 0 ? { notes } : {}),
      repro: `${resources.cli(['SLOWLOG', 'GET', 10])} && ${resources.cli(['LATENCY', 'LATEST'])}`,
    };
    const metrics = [
      { name: 'cache.slowlog.recent_entries', value: slow.length, unit: 'count' },
      ...(slow[0] ? [{ name: 'cache.slowlog.slowest_ms', value: slow[0].durationMs, unit: 'ms' }] : []),
    ];
    const window = `in the last ${Math.round(slowlogLookbackMs / 60_000)} min`;
    if (slow.length > maxSlowEntries || events.length > 0) {
      const parts = [
        ...(slow.length > 0 ? [`${slow.length} commands ≥ ${slowCommandMs} ms ${window} (slowest ${slow[0]!.command}: ${slow[0]!.durationMs} ms on ${slow[0]!.node})`] : []),
        ...(events.length > 0 ? [`${events.length} latency events (${events.map((event) => `${event.event} ${event.latestMs} ms`).join(', ')})`] : []),
      ];
      return { status: 'warn', summary: parts.join('; '), evidence, metrics };
    }
    return { status: 'pass', summary: `no command ≥ ${slowCommandMs} ms and no latency event ${window}${notes.length > 0 ? ` (${notes[0]})` : ''}`, evidence, metrics };
  },
};

/** `ip:port` of every probe connection, as the server sees it (entries logged before CLIENT SETNAME, such as HELLO). */
function ownAddresses({ deployment, extra }: CacheResources): Set<string> {
  const clients: Redis[] = [...connectionsOf(deployment), ...extra, ...(deployment.mode === 'cluster' ? (deployment.client as Cluster).nodes() : [])];
  return new Set(clients.map((client) => client.stream).filter((stream) => stream?.localPort).map((stream) => `${stream.localAddress}:${stream.localPort}`));
}

async function readNode(node: RedisNode, count: number, redact: (text: string) => string) {
  const notes: string[] = [];
  const [slowlog, threshold, monitor, latest, doctor] = await Promise.all([
    node.client.call('SLOWLOG', 'GET', count) as Promise<unknown[][]>,
    configValue(node, 'slowlog-log-slower-than'),
    configValue(node, 'latency-monitor-threshold'),
    (node.client.call('LATENCY', 'LATEST') as Promise<unknown[][]>).catch(() => []),
    (node.client.call('LATENCY', 'DOCTOR') as Promise<string>).then((text) => truncate(String(text), DOCTOR_CHARS), (error: unknown) => `unavailable: ${messageOf(error)}`),
  ]);
  if (threshold !== undefined && Number(threshold) < 0) notes.push(`${node.address}: the slowlog is disabled (slowlog-log-slower-than ${threshold})`);
  if (monitor === '0') notes.push(`${node.address}: the latency monitor is off (latency-monitor-threshold 0); LATENCY LATEST stays empty`);
  const entries: SlowEntry[] = slowlog.map((entry) => {
    const [id, seconds, micros, args, address, name] = entry as [number, number, number, (string | Buffer)[], string?, string?];
    const words = (args ?? []).map(String);
    const command = `${words[0] ?? '?'}${words[1] !== undefined ? ` ${truncate(words[1], 60)}` : ''}${words.length > 2 ? ` (+${words.length - 2} args)` : ''}`;
    return {
      node: node.address, id: Number(id), time: new Date(Number(seconds) * 1_000).toISOString(), durationMs: Number(micros) / 1_000,
      command: redact(command), client: `${address ?? ''}${name ? ` (${name})` : ''}`,
    };
  });
  const events: LatencyEvent[] = latest.map((entry) => {
    const [event, seconds, latestMs, maxMs] = entry as [string, number, number, number];
    return { node: node.address, event: String(event), time: new Date(Number(seconds) * 1_000).toISOString(), latestMs: Number(latestMs), maxMs: Number(maxMs) };
  });
  return { node: node.address, entries, events, threshold, monitor, doctor, notes };
}

/** CONFIG GET of one setting; undefined where CONFIG is renamed or denied (managed services). */
async function configValue(node: RedisNode, name: string): Promise<string | undefined> {
  try {
    const reply = (await node.client.call('CONFIG', 'GET', name)) as string[];
    return reply[1] === undefined ? undefined : String(reply[1]);
  } catch {
    return undefined;
  }
}
