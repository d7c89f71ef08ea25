import type { IncomingMessage } from 'node:http';
import { Problem, badRequest } from './problem.ts';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Read and parse a JSON request body: 415 for another content type, 413 past
 * 64 KiB, 400 for malformed JSON — unless `badJsonIs500` (a defect), where the
 * parse error escapes and becomes a 500.
 */
export async function readJson(request: IncomingMessage, options: { badJsonIs500: boolean }): Promise<unknown> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && !type?.endsWith('+json')) {
    throw new Problem(415, 'Unsupported Media Type', `send the body as application/json, got ${type ?? 'no content type'}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Problem(413, 'Content Too Large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (options.badJsonIs500) return JSON.parse(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
}
