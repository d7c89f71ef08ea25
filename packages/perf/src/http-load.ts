/** `httpLoad(options)`: the load probe of an HTTP endpoint. */
import { isSecretKey, parseOptions, type ConfigIssue, type Probe } from '@probe/core';
import { CHECKLIST } from './checklist.ts';
import { formatMs } from './engine/duration.ts';
import { httpDriver, httpTarget, type HttpTarget } from './http/target.ts';
import { createLoadProbe } from './load-probe.ts';
import { httpLoadSchema, planLoad, type LoadPlan } from './options.ts';
import { connectTimeoutMs } from './run.ts';
import type { LoadSession } from './session.ts';
import type { HttpLoadOptions } from './types.ts';

/**
 * A probe that puts an HTTP endpoint under the declared load and judges it:
 * perf.load.throughput, perf.latency.slo, perf.resources, perf.trend.regression,
 * perf.capacity.limit and perf.degradation. Invalid options give a probe whose
 * `issues` name the fields; it runs nothing.
 */
export function httpLoad(options: HttpLoadOptions): Probe<LoadSession> {
  const input = (options ?? {}) as Partial<HttpLoadOptions>;
  const name = input.name ?? hostOf(input.url) ?? 'http-load';
  const target = { kind: 'http', name, ...(typeof input.url === 'string' ? { url: input.url } : {}) };
  const parsed = parseOptions(httpLoadSchema, options);
  if (!parsed.ok) return { target, checks: [], issues: parsed.issues };
  const value = parsed.value as HttpLoadOptions;
  let http: HttpTarget;
  try {
    http = httpTarget(value);
  } catch (error) {
    return { target, checks: [], issues: [issueOf(error)] };
  }
  const plan = planLoad(value);
  return createLoadProbe({
    target,
    spec: {
      name, options: value, plan,
      makeDriver: (connections) => httpDriver(http, value, connections, connectTimeoutMs(plan)),
      reproduce: (run) => reproduceHttp(http, value, run),
    },
    checklist: [...CHECKLIST.http, ...(value.checklist ?? [])],
    writes: value.writes ?? http.writes,
    secrets: secretsOf(http, value),
  });
}

/** Commands that reproduce the load by hand: one request with curl, the load with wrk (closed) or wrk2 (open). */
function reproduceHttp(http: HttpTarget, options: HttpLoadOptions, plan: LoadPlan): Record<string, string> {
  const request = typeof http.request === 'function' ? http.request(0) : http.request;
  const url = http.url.href;
  const headers = Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length');
  const curlHeaders = headers.map(([name, value]) => ` -H ${quote(`${name}: ${value}`)}`).join('');
  const body = request.body ? ` --data-binary ${quote(request.body.toString('utf8'))}` : '';
  const seconds = Math.max(1, Math.round(plan.durationMs / 1_000));
  const wrkHeaders = headers.map(([name, value]) => ` -H ${quote(`${name}: ${value}`)}`).join('');
  const load = plan.model === 'open'
    ? `wrk2 -t1 -c${plan.connections} -d${seconds}s -R${Math.round(plan.profile.peak())} --latency${wrkHeaders} ${quote(url)}   # wrk2 corrects coordinated omission like the open model`
    : `wrk -t1 -c${plan.connections} -d${seconds}s --latency${wrkHeaders} ${quote(url)}   # closed model, ${formatMs(plan.durationMs)}${request.method !== 'GET' ? `; ${request.method} and a body need a wrk Lua script` : ''}`;
  return {
    curl: `curl -sS -o /dev/null -w '%{http_code} %{time_total}s\\n' -X ${request.method}${curlHeaders}${body} ${quote(url)}`,
    load,
    ...(options.pipelining && options.pipelining > 1 ? { note: `pipelining ${options.pipelining}: wrk needs its pipeline.lua script` } : {}),
  };
}

/** Header values under secret names (the options', a `generate` list's) and the Basic credentials the URL turned into. */
function secretsOf(http: HttpTarget, options: HttpLoadOptions): string[] {
  const request = typeof http.request === 'function' ? undefined : http.request;
  const listed = Array.isArray(options.generate) ? options.generate.map((spec) => spec.headers ?? {}) : [];
  const secrets: string[] = [];
  for (const headers of [options.headers ?? {}, request?.headers ?? {}, ...listed]) {
    for (const [name, value] of Object.entries(headers)) {
      if (!isSecretKey(name) || secrets.includes(value)) continue;
      secrets.push(value);
      const token = /^(?:Basic|Bearer)\s+(.+)$/i.exec(value)?.[1];
      if (token) secrets.push(token);
    }
  }
  return secrets;
}

function issueOf(error: unknown): ConfigIssue {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^(\w+): (.*)$/.exec(message);
  return match ? { path: match[1]!, message: match[2]! } : { path: '', message };
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
