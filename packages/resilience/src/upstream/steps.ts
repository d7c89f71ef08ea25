import { setTimeout as sleep } from 'node:timers/promises';
import type { Call, Reply, Step } from '@probe/api/testing';

/**
 * Fault steps for @probe/api's fake upstream (`startFakeUpstream({ routes })`): each is
 * a `Step` (or a script of steps, one per attempt, the last repeating), so they mix
 * freely with plain replies: `'POST /charges': step.failTimes(2, step.fail(503, { retryAfter: 1 }))`.
 */
export const step = {
  /** A 200 answer (JSON unless a string/Buffer body). */
  ok: (body: unknown = { ok: true }, options: { status?: number; headers?: Record<string, string> } = {}): Reply => ({
    status: options.status ?? 200, body, ...(options.headers ? { headers: options.headers } : {}),
  }),

  /** An error status (default 503), optionally with `Retry-After` (seconds or an HTTP date). */
  fail: (status = 503, options: { retryAfter?: number | string; headers?: Record<string, string>; body?: unknown } = {}): Reply => ({
    status,
    headers: { ...options.headers, ...(options.retryAfter === undefined ? {} : { 'retry-after': String(options.retryAfter) }) },
    body: options.body ?? { error: `scripted ${status}` },
  }),

  /** Fail `count` times (default with 503), then answer `then` (default 200) for good: the "fail N then succeed" users ask for. */
  failTimes: (count: number, failure: Step = step.fail(503), then: Step = step.ok()): Step[] => [...Array.from({ length: count }, () => failure), then],

  /** Answer after `ms` (default a 200). */
  delay: (ms: number, reply: Reply = step.ok()): Reply => ({ ...reply, delayMs: ms }),

  /** Reset the connection (TCP RST): the client sees ECONNRESET / "socket hang up". */
  reset: (): Step => ({ raw }) => {
    raw.req.socket.resetAndDestroy();
    return undefined;
  },

  /** Close the connection without answering (WireMock's EMPTY_RESPONSE). */
  close: (): Step => ({ raw }) => {
    raw.req.socket.end();
    return undefined;
  },

  /** Never answer; the connection stays open until the client gives up or the upstream closes. */
  hang: (): Step => () => undefined,

  /** Send a status line and headers, then random bytes that are not the declared body, then close (MALFORMED_RESPONSE_CHUNK). */
  garbage: (): Step => ({ raw }) => {
    raw.res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    raw.res.flushHeaders();
    raw.res.socket?.end(Buffer.from('zz\r\n\u0000\u00ff{garbage'));
    return undefined;
  },

  /** A body dribbled in `chunks` pieces `intervalMs` apart (WireMock's chunkedDribbleDelay). */
  slowBody: (options: { body?: string; chunks?: number; intervalMs?: number; status?: number; contentType?: string } = {}): Step => async ({ raw, signal }: Call) => {
    const body = Buffer.from(options.body ?? JSON.stringify({ ok: true, slow: true }));
    const chunks = Math.max(1, Math.min(options.chunks ?? 5, body.length));
    const size = Math.ceil(body.length / chunks);
    raw.res.writeHead(options.status ?? 200, { 'content-type': options.contentType ?? 'application/json', 'content-length': String(body.length) });
    for (let offset = 0; offset < body.length && !signal.aborted; offset += size) {
      if (offset > 0) await sleep(options.intervalMs ?? 100, undefined, { signal }).catch(() => {});
      if (!signal.aborted) raw.res.write(body.subarray(offset, offset + size));
    }
    if (!signal.aborted) raw.res.end();
    return undefined;
  },

  /**
   * At most `limit` requests per `windowMs` (sliding) answered with `reply`; the rest get
   * 429 with `Retry-After` and the `RateLimit-Limit/-Remaining/-Reset` headers.
   */
  rateLimited: (options: { limit: number; windowMs?: number; reply?: Step }): Step => {
    const windowMs = options.windowMs ?? 1_000;
    const accepted: number[] = [];
    const reply = options.reply ?? step.ok();
    return (call) => {
      const now = Date.now();
      while (accepted.length > 0 && accepted[0]! <= now - windowMs) accepted.shift();
      const resetSeconds = Math.max(1, Math.ceil(((accepted[0] ?? now) + windowMs - now) / 1_000));
      const headers = { 'ratelimit-limit': String(options.limit), 'ratelimit-reset': String(resetSeconds) };
      if (accepted.length >= options.limit) {
        return { status: 429, headers: { ...headers, 'ratelimit-remaining': '0', 'retry-after': String(resetSeconds) }, body: { error: 'rate limited' } };
      }
      accepted.push(now);
      const answer = typeof reply === 'function' ? reply(call) : reply;
      const remaining = String(options.limit - accepted.length);
      return Promise.resolve(answer).then((value) => value && { ...value, headers: { ...headers, 'ratelimit-remaining': remaining, ...value.headers } });
    };
  },

  /** Alternate between `up` for `upMs` and `down` for `downMs`, starting up (a flapping dependency). */
  flap: (options: { upMs: number; downMs: number; up?: Step; down?: Step }): Step => {
    const started = Date.now();
    const up = options.up ?? step.ok();
    const down = options.down ?? step.fail(503);
    return (call) => {
      const phase = (Date.now() - started) % (options.upMs + options.downMs);
      const chosen = phase < options.upMs ? up : down;
      return typeof chosen === 'function' ? chosen(call) : chosen;
    };
  },
};
