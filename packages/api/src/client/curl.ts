import { REDACTED, isSecretKey } from '@probe/core';
import type { ApiRequest, Exchange } from './client.ts';

/**
 * A one-paste reproduction of a request: `curl -sS -i -X POST '<url>' -H '…' --data-raw '…'`.
 * Secret headers (Authorization, Cookie, API keys) show `***`; everything passes `redact`.
 * The probe's own `User-Agent` is left out; `X-Probe-Run` stays so operators can find the request.
 */
export function toCurl(request: ApiRequest, redact: (text: string) => string): string {
  const parts = ['curl -sS -i'];
  if (request.method !== 'GET' || request.body !== undefined) parts.push(`-X ${request.method}`);
  parts.push(quote(redact(request.url)));
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'user-agent') continue;
    parts.push(`-H ${quote(`${name}: ${isSecretKey(name) ? secretHeader(value) : redact(value)}`)}`);
  }
  if (request.body !== undefined) parts.push(`--data-raw ${quote(redact(truncate(request.body, 2_000)))}`);
  return parts.join(' ');
}

/** What a failing exchange looks like in evidence: the curl line, the status and a body excerpt. */
export function describeExchange(exchange: Exchange, redact: (text: string) => string): Record<string, unknown> {
  const response = exchange.response;
  return {
    curl: toCurl(exchange.request, redact),
    ...(response
      ? { status: response.status, contentType: response.headers['content-type'] ?? null, body: redact(truncate(response.body, 500)) }
      : { error: redact(exchange.error ?? 'no response') }),
    ms: Math.round(exchange.durationMs),
  };
}

/** Keep the scheme word (`Bearer ***`) so the reader knows what to paste. */
function secretHeader(value: string): string {
  const scheme = /^(Bearer|Basic|Token|Digest)\s/i.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length - max} more)` : text;
}
