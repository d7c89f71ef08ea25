/**
 * A minimal HTTP/1.1 response framer for the raw-socket driver: finds where each
 * response ends (Content-Length, chunked, no-body statuses, HEAD, read-until-close)
 * and what its status and keep-alive are, without building header objects unless
 * asked (`collect`). Interim 1xx responses are skipped. Anything malformed throws
 * {@link ParseError}: the driver then fails the connection's requests, so a broken
 * server is counted, never misread.
 */

/** What the parser tells its driver. */
export interface ParserHandler {
  /** True when the response now expected answers a HEAD request (no body whatever the headers say). */
  noBody(): boolean;
  /** One response ended. */
  complete(status: number, keepAlive: boolean): void;
}

export class ParseError extends Error {
  readonly code = 'HTTP_PARSE';
}

const HEAD = 0;
const BODY = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const TRAILERS = 4;
const UNTIL_CLOSE = 5;
/** The CRLF after a chunk's data. */
const CHUNK_END = 6;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const CONTENT_LENGTH = Buffer.from('content-length:');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding:');
const CONNECTION = Buffer.from('connection:');
const MAX_CARRY = 64 * 1024;
/** Bodies kept for response checks are cut here. */
export const MAX_COLLECTED_BODY = 1024 * 1024;

export class ResponseParser {
  /** Keep each response's header block and body (for response checks). */
  collect = false;
  /** The current response's raw header lines (collect mode). */
  headerText = '';
  bodyParts: Buffer[] = [];
  private bodyLength = 0;
  private state = HEAD;
  private remaining = 0;
  private status = 0;
  private keepAlive = true;
  private carry: Buffer | undefined;

  private readonly handler: ParserHandler;

  constructor(handler: ParserHandler) {
    this.handler = handler;
  }

  /** Parse a chunk from the socket; calls `complete` for each response that ends in it. */
  feed(chunk: Buffer): void {
    let buffer = chunk;
    if (this.carry) {
      buffer = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let position = 0;
    const length = buffer.length;
    while (position < length) {
      switch (this.state) {
        case HEAD: {
          const end = buffer.indexOf(CRLFCRLF, position);
          if (end < 0) return this.keep(buffer, position);
          this.parseHead(buffer, position, end);
          position = end + 4;
          break;
        }
        case BODY: {
          const take = Math.min(this.remaining, length - position);
          if (this.collect) this.keepBody(buffer, position, take);
          position += take;
          this.remaining -= take;
          if (this.remaining === 0) this.finish();
          break;
        }
        case CHUNK_SIZE: {
          const end = buffer.indexOf(CRLF, position);
          if (end < 0) return this.keep(buffer, position);
          const size = parseChunkSize(buffer, position, end);
          position = end + 2;
          if (size === 0) this.state = TRAILERS;
          else {
            this.remaining = size;
            this.state = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, length - position);
          if (this.collect) this.keepBody(buffer, position, take);
          position += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            this.state = CHUNK_END;
            this.remaining = 2;
          }
          break;
        }
        case CHUNK_END: {
          const take = Math.min(this.remaining, length - position);
          position += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        }
        case TRAILERS: {
          const end = buffer.indexOf(CRLF, position);
          if (end < 0) return this.keep(buffer, position);
          const empty = end === position;
          position = end + 2;
          if (empty) this.finish();
          break;
        }
        default: {   // UNTIL_CLOSE
          if (this.collect) this.keepBody(buffer, position, length - position);
          position = length;
        }
      }
    }
  }

  /** The socket ended: a read-until-close body is complete. Returns false when a response was cut short. */
  end(): boolean {
    if (this.state === UNTIL_CLOSE) {
      this.finish();
      return true;
    }
    return this.state === HEAD && this.carry === undefined;
  }

  /** Forget any partial response (a new connection). */
  reset(): void {
    this.state = HEAD;
    this.carry = undefined;
    this.remaining = 0;
    this.headerText = '';
    this.bodyParts = [];
    this.bodyLength = 0;
  }

  /** The current response's body so far (collect mode). */
  body(): Buffer {
    return this.bodyParts.length === 1 ? this.bodyParts[0]! : Buffer.concat(this.bodyParts);
  }

  private keep(buffer: Buffer, position: number): void {
    if (buffer.length - position > MAX_CARRY) throw new ParseError(`response head or chunk line longer than ${MAX_CARRY} bytes`);
    // A copy: the driver may read into one reused buffer.
    this.carry = Buffer.from(buffer.subarray(position));
  }

  private keepBody(buffer: Buffer, position: number, take: number): void {
    const room = MAX_COLLECTED_BODY - this.bodyLength;
    if (room <= 0 || take <= 0) return;
    const part = Buffer.from(buffer.subarray(position, position + Math.min(room, take)));
    this.bodyParts.push(part);
    this.bodyLength += part.length;
  }

  private finish(): void {
    this.state = HEAD;
    this.handler.complete(this.status, this.keepAlive);
    if (this.collect) {
      this.bodyParts = [];
      this.bodyLength = 0;
    }
  }

  private parseHead(buffer: Buffer, start: number, end: number): void {
    // "HTTP/1.x SSS"
    if (end - start < 12 || buffer[start] !== 0x48 || buffer[start + 4] !== 0x2f || buffer[start + 5] !== 0x31 || buffer[start + 6] !== 0x2e) {
      throw new ParseError(`not an HTTP/1.x response: ${JSON.stringify(buffer.toString('latin1', start, Math.min(end, start + 40)))}`);
    }
    const d1 = buffer[start + 9]! - 48;
    const d2 = buffer[start + 10]! - 48;
    const d3 = buffer[start + 11]! - 48;
    if (d1 < 1 || d1 > 9 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) throw new ParseError('malformed status line');
    const status = d1 * 100 + d2 * 10 + d3;
    let keepAlive = buffer[start + 7] === 0x31;   // HTTP/1.1 keeps alive by default, 1.0 does not
    let contentLength = -1;
    let chunked = false;
    for (let i = start + 12; i < end; i++) {
      if (buffer[i] !== 0x0a) continue;
      const line = i + 1;
      const first = buffer[line]! | 0x20;
      if (first === 0x63) {   // c
        if (matches(buffer, line, CONTENT_LENGTH)) contentLength = parseDecimal(buffer, line + CONTENT_LENGTH.length, end);
        else if (matches(buffer, line, CONNECTION)) {
          const value = lineValue(buffer, line + CONNECTION.length, end);
          if (value.includes('close')) keepAlive = false;
          else if (value.includes('keep-alive')) keepAlive = true;
        }
      } else if (first === 0x74 && matches(buffer, line, TRANSFER_ENCODING)) {
        chunked = lineValue(buffer, line + TRANSFER_ENCODING.length, end).includes('chunked');
      }
    }
    if (this.collect) {
      const firstLineEnd = buffer.indexOf(CRLF, start);
      this.headerText = firstLineEnd < end ? buffer.toString('latin1', firstLineEnd + 2, end) : '';
    }
    this.status = status;
    this.keepAlive = keepAlive;
    if (status < 200 && status !== 101) return;   // interim response: the real one follows
    if (status === 101 || status === 204 || status === 304 || this.handler.noBody()) this.finish();
    else if (chunked) this.state = CHUNK_SIZE;
    else if (contentLength >= 0) {
      if (contentLength === 0) this.finish();
      else {
        this.remaining = contentLength;
        this.state = BODY;
      }
    } else {
      this.keepAlive = false;
      this.state = UNTIL_CLOSE;
    }
  }
}

/** The collected header block as an object with lower-case names (repeated headers joined with ", "). */
export function parseHeaderText(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

/** Case-insensitive match of a lower-case header name (with its colon) at `at`. */
function matches(buffer: Buffer, at: number, name: Buffer): boolean {
  for (let k = 0; k < name.length; k++) {
    const byte = buffer[at + k]!;
    if ((byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte) !== name[k]) return false;
  }
  return true;
}

function parseDecimal(buffer: Buffer, from: number, end: number): number {
  let i = from;
  while (i < end && (buffer[i] === 0x20 || buffer[i] === 0x09)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = buffer[i]! - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    digits++;
  }
  if (digits === 0 || digits > 15) throw new ParseError('malformed Content-Length');
  return value;
}

function lineValue(buffer: Buffer, from: number, end: number): string {
  let stop = buffer.indexOf(0x0d, from);
  if (stop < 0 || stop > end) stop = end;
  return buffer.toString('latin1', from, stop).toLowerCase();
}

function parseChunkSize(buffer: Buffer, from: number, end: number): number {
  let value = 0;
  let digits = 0;
  for (let i = from; i < end; i++) {
    const byte = buffer[i]! | 0x20;
    const d = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1;
    if (d < 0) break;   // chunk extensions (";name=value") and whitespace are ignored
    value = value * 16 + d;
    digits++;
  }
  if (digits === 0 || digits > 12) throw new ParseError('malformed chunk size');
  return value;
}
