/** From `httpLoad` options to a driver: URL checks, the request source, the engine choice. */
import { ProbeError, ProbeErrorCode, redactUrl } from '@probe/core';
import type { Driver } from '../engine/driver.ts';
import type { HttpLoadOptions } from '../types.ts';
import { createFastDriver } from './fast-driver.ts';
import { SAFE_METHODS, resolveRequest, statusTable, type RequestSource, type ResolvedRequest } from './request.ts';
import { createUndiciDriver } from './undici-driver.ts';

/** A validated HTTP target. */
export interface HttpTarget {
  url: URL;
  /** The URL with credentials redacted, for messages. */
  label: string;
  /** The request sent every time, or a source of one per iteration. */
  request: ResolvedRequest | RequestSource;
  /** True when some request may change state (a method other than GET/HEAD/OPTIONS/TRACE, or generated requests). */
  writes: boolean;
  engine: 'fast' | 'undici';
}

/** Parse and check the URL and the request options. Throws PROBE_ERR_CONFIG with the field named. */
export function httpTarget(options: HttpLoadOptions): HttpTarget {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ProbeError(ProbeErrorCode.CONFIG, `url: expected an http:// or https:// URL, got ${JSON.stringify(redactUrl(options.url))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProbeError(ProbeErrorCode.CONFIG, `url: unknown scheme "${url.protocol.slice(0, -1)}"; expected http:// or https://`);
  }
  const label = redactUrl(url.href);
  const defaults = {
    method: options.method ?? 'GET',
    path: `${url.pathname}${url.search}`,
    host: url.host,
    headers: { ...basicAuth(url), ...(options.headers ?? {}) },
    body: options.body,
  };
  const first = resolveRequest({}, defaults);
  let request: ResolvedRequest | RequestSource = first;
  const generate = options.generate;
  if (Array.isArray(generate)) {
    const list = generate.map((spec) => resolveRequest(spec, defaults));
    request = list.length === 0 ? first : (iteration: number) => list[iteration % list.length]!;
  } else if (typeof generate === 'function') {
    request = (iteration: number) => resolveRequest(generate(iteration), defaults);
  }
  const writes = generate === undefined
    ? !SAFE_METHODS.has(first.method)
    : Array.isArray(generate) ? generate.some((spec) => !SAFE_METHODS.has((spec.method ?? defaults.method).toUpperCase())) : true;
  const engine = options.engine ?? 'auto';
  if (engine === 'fast' && url.protocol === 'https:') {
    throw new ProbeError(ProbeErrorCode.CONFIG, 'engine: "fast" is for http:// targets; https:// goes through undici (engine "auto" or "undici")');
  }
  return { url, label, request, writes, engine: engine === 'undici' || url.protocol === 'https:' ? 'undici' : 'fast' };
}

/** A driver for the target with this many connections and pipelining depth. */
export function httpDriver(target: HttpTarget, options: HttpLoadOptions, connections: number, connectTimeoutMs: number): Driver {
  const pipelining = options.pipelining ?? 1;
  const statuses = statusTable(options.expectStatus);
  if (target.engine === 'undici') {
    return createUndiciDriver({
      origin: target.url.origin, label: target.label, connections, pipelining, request: target.request, statuses,
      check: options.check, connectTimeoutMs, tls: options.tls,
    });
  }
  return createFastDriver({
    host: target.url.hostname.replace(/^\[|\]$/g, ''), port: Number(target.url.port || 80), label: target.label,
    connections, pipelining, request: target.request, statuses, check: options.check, connectTimeoutMs,
  });
}

/** Credentials in the URL become a Basic authorization header (the URL itself is never sent). */
function basicAuth(url: URL): Record<string, string> {
  if (!url.username && !url.password) return {};
  const token = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  return { authorization: `Basic ${token}` };
}
