import { describe, expect, it } from 'vitest';
import { ParseError, ResponseParser, parseHeaderText } from './parser.ts';

interface Seen {
  status: number;
  keepAlive: boolean;
  body?: string;
  headers?: string;
}

function parser(options: { noBody?: boolean[]; collect?: boolean } = {}) {
  const seen: Seen[] = [];
  const noBody = [...(options.noBody ?? [])];
  const instance: ResponseParser = new ResponseParser({
    noBody: () => noBody.shift() ?? false,
    complete: (status, keepAlive) => {
      seen.push({ status, keepAlive, ...(options.collect ? { body: instance.body().toString(), headers: instance.headerText } : {}) });
    },
  });
  instance.collect = options.collect ?? false;
  return { instance, seen };
}

const OK = 'HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok';
const CHUNKED = 'HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-trailer: 1\r\n\r\n';
const NO_LENGTH = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end';

describe('ResponseParser', () => {
  it('frames pipelined responses in one chunk: Content-Length and chunked', () => {
    const { instance, seen } = parser({ collect: true });
    instance.feed(Buffer.from(OK + CHUNKED + OK));
    expect(seen.map((s) => [s.status, s.body])).toEqual([[200, 'ok'], [201, 'hello world'], [200, 'ok']]);
    expect(parseHeaderText(seen[0]!.headers!)).toMatchObject({ server: 'nginx', 'content-length': '2' });
  });

  it('gives the same responses whichever byte the socket splits at', () => {
    const stream = Buffer.from(OK + CHUNKED + 'HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n' + OK);
    for (let cut = 1; cut < stream.length; cut++) {
      const { instance, seen } = parser({ collect: true });
      instance.feed(stream.subarray(0, cut));
      instance.feed(stream.subarray(cut));
      expect(seen.map((s) => `${s.status}:${s.body}`), `cut at ${cut}`).toEqual(['200:ok', '201:hello world', '204:', '200:ok']);
    }
  });

  it('handles a stream fed one byte at a time', () => {
    const { instance, seen } = parser();
    for (const byte of Buffer.from(CHUNKED + OK)) instance.feed(Buffer.from([byte]));
    expect(seen.map((s) => s.status)).toEqual([201, 200]);
  });

  it('knows responses without a body: HEAD, 204, 304, and skips interim 1xx', () => {
    const { instance, seen } = parser({ noBody: [true, false, false, false] });
    instance.feed(Buffer.from([
      'HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\n',              // answer to HEAD: no body despite the length
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n', // interim, then the real one
      'HTTP/1.1 304 Not Modified\r\ncontent-length: 99\r\n\r\n',
      OK,
    ].join('')));
    expect(seen.map((s) => s.status)).toEqual([200, 204, 304, 200]);
  });

  it('reads a body without length until the connection ends, and reports it not kept alive', () => {
    const { instance, seen } = parser({ collect: true });
    instance.feed(Buffer.from(NO_LENGTH));
    expect(seen).toEqual([]);
    expect(instance.end()).toBe(true);
    expect(seen).toEqual([{ status: 200, keepAlive: false, body: 'until the end', headers: 'content-type: text/plain' }]);
  });

  it('follows Connection headers and HTTP/1.0 defaults', () => {
    const { instance, seen } = parser();
    instance.feed(Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
    instance.feed(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
    instance.feed(Buffer.from('HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n'));
    expect(seen.map((s) => s.keepAlive)).toEqual([false, false, true]);
  });

  it('says whether the connection ended mid-response', () => {
    const { instance } = parser();
    instance.feed(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'));
    expect(instance.end()).toBe(false);
    instance.reset();
    expect(instance.end()).toBe(true);
  });

  it('throws ParseError on what is not HTTP/1.x', () => {
    for (const garbage of ['SSH-2.0-OpenSSH_9.2\r\n\r\n', 'HTTP/1.1 2x0 OK\r\n\r\n', 'HTTP/1.1 200 OK\r\ncontent-length: abc\r\n\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n']) {
      expect(() => parser().instance.feed(Buffer.from(garbage)), garbage).toThrow(ParseError);
    }
    expect(() => parser().instance.feed(Buffer.alloc(70_000, 0x41))).toThrow(/longer than/);
  });

  it('keeps at most 1 MiB of a body for checks', () => {
    const { instance, seen } = parser({ collect: true });
    const size = 1024 * 1024 + 10;
    instance.feed(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${size}\r\n\r\n`), Buffer.alloc(size, 0x61)]));
    expect(seen[0]!.body!.length).toBe(1024 * 1024);
  });
});
