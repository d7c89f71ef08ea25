/**
 * CPU and memory of the target while the load runs: from /proc for a local pid
 * (Linux), or from a Prometheus text endpoint's standard process metrics.
 */
import { readFile } from 'node:fs/promises';
import { ProbeError, ProbeErrorCode, messageOf, redactUrl } from '@probe/core';
import { toMs } from '../engine/duration.ts';
import type { ResourceOptions } from '../types.ts';

/** One reading. CPU is over the interval before it, in percent of one core. */
export interface ResourceSample {
  /** Milliseconds since sampling began. */
  atMs: number;
  cpuPercent: number;
  rssBytes: number;
}

/** What the sampler saw over a load. */
export interface ResourceReport {
  /** `pid 1234 (node)` or the redacted metrics URL. */
  source: string;
  samples: ResourceSample[];
  peakCpuPercent: number;
  meanCpuPercent: number;
  startRssBytes: number;
  peakRssBytes: number;
  endRssBytes: number;
}

/** A running sampler. */
export interface Sampler {
  stop(): Promise<ResourceReport>;
}

interface Reading {
  /** CPU seconds used so far. */
  cpuSeconds: number;
  rssBytes: number;
}

/** Linux USER_HZ: /proc reports CPU in 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS = 100;
const MAX_SAMPLES = 7_200;

/** Take a first reading (which fails fast and clearly when the pid or URL is wrong), then sample until `stop`. */
export async function startSampler(options: ResourceOptions, signal?: AbortSignal): Promise<Sampler> {
  const read = options.pid !== undefined ? () => readProc(options.pid!) : () => scrape(options.metricsUrl!, signal);
  const source = options.pid !== undefined ? `pid ${options.pid}${await processName(options.pid)}` : redactUrl(options.metricsUrl!);
  const intervalMs = options.interval !== undefined ? toMs(options.interval)! : options.pid !== undefined ? 250 : 1_000;
  const started = performance.now();
  let previous = await read();
  let previousAt = started;
  const startRss = previous.rssBytes;
  const samples: ResourceSample[] = [];
  let busy: Promise<void> | undefined;
  const sample = async () => {
    try {
      const reading = await read();
      const now = performance.now();
      const cpuPercent = ((reading.cpuSeconds - previous.cpuSeconds) / ((now - previousAt) / 1_000)) * 100;
      if (samples.length < MAX_SAMPLES) samples.push({ atMs: Math.round(now - started), cpuPercent: round1(Math.max(0, cpuPercent)), rssBytes: reading.rssBytes });
      previous = reading;
      previousAt = now;
    } catch {
      // A missed reading (the process is busy, the endpoint slow) leaves a gap; the next one covers it.
    }
  };
  const timer = setInterval(() => {
    busy ??= sample().finally(() => { busy = undefined; });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      if (samples.length === 0 || performance.now() - previousAt > intervalMs / 2) await sample();
      const cpu = samples.map((item) => item.cpuPercent);
      const rss = samples.map((item) => item.rssBytes);
      return {
        source,
        samples,
        peakCpuPercent: Math.max(0, ...cpu),
        meanCpuPercent: cpu.length === 0 ? 0 : round1(cpu.reduce((a, b) => a + b, 0) / cpu.length),
        startRssBytes: startRss,
        peakRssBytes: Math.max(startRss, ...rss),
        endRssBytes: rss.at(-1) ?? startRss,
      };
    },
  };
}

async function readProc(pid: number): Promise<Reading> {
  let stat: string;
  let status: string;
  try {
    [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
  } catch (error) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `resources.pid: no process ${pid} to watch (${messageOf(error)})`, {
      hint: 'give the pid of the target process on this machine (Linux /proc), or a metricsUrl',
    });
  }
  // Fields after the command name (which may hold spaces and parentheses): state is 3rd, utime 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return { cpuSeconds: ticks / CLOCK_TICKS, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}

async function processName(pid: number): Promise<string> {
  try {
    return ` (${(await readFile(`/proc/${pid}/comm`, 'utf8')).trim()})`;
  } catch {
    return '';
  }
}

async function scrape(url: string, signal?: AbortSignal): Promise<Reading> {
  let text: string;
  try {
    const timeout = AbortSignal.timeout(2_000);
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new ProbeError(ProbeErrorCode.UNREACHABLE, `resources.metricsUrl: cannot read ${redactUrl(url)}: ${messageOf(error)}`);
  }
  const cpu = metricValue(text, 'process_cpu_seconds_total');
  const rss = metricValue(text, 'process_resident_memory_bytes');
  if (cpu === undefined && rss === undefined) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `resources.metricsUrl: ${redactUrl(url)} has neither process_cpu_seconds_total nor process_resident_memory_bytes`, {
      hint: 'enable the Prometheus client\'s default process metrics (prom-client collectDefaultMetrics, client_golang ProcessCollector)',
    });
  }
  return { cpuSeconds: cpu ?? 0, rssBytes: rss ?? 0 };
}

/** The first sample of a metric in Prometheus text format (labels ignored). */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(rest.slice(rest[0] === '{' ? rest.indexOf('}') + 1 : 0).trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
