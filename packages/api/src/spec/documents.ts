import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { ProbeError, ProbeErrorCode, messageOf } from '@probe/core';

/** A node of a document together with the URI of the document it lives in (for relative `$ref`s). */
export interface Located<T = unknown> {
  node: T;
  /** Absolute URI of the containing document (`file:///…/openapi.yaml`). */
  base: string;
}

/** Every document of a spec, by absolute URI (without fragment). */
export interface Documents {
  /** URI of the root document. */
  root: string;
  byUri: Map<string, unknown>;
}

/** Bounds of {@link loadDocuments}. */
export interface LoadOptions {
  signal?: AbortSignal;
  /** Documents loaded at most (default 100). */
  maxFiles?: number;
  /** Bytes per document at most (default 100 MB). */
  maxBytes?: number;
  /** Timeout of each http(s) fetch (default 10 000 ms). */
  fetchTimeoutMs?: number;
}

/**
 * Load an OpenAPI document (a path, a `file:`/`http(s):` URL or a parsed object) and every
 * document its `$ref`s point at, transitively (JSON or YAML). Bounded in file count and size.
 */
export async function loadDocuments(source: string | Record<string, unknown>, options: LoadOptions = {}): Promise<Documents> {
  const maxFiles = options.maxFiles ?? 100;
  const byUri = new Map<string, unknown>();
  let root: string;
  if (typeof source === 'string') {
    root = toUri(source);
  } else {
    root = pathToFileURL(resolvePath(process.cwd(), 'openapi.json')).href;
    byUri.set(root, source);
  }
  const queue = [root];
  while (queue.length > 0) {
    const uri = queue.shift()!;
    if (!byUri.has(uri)) {
      if (byUri.size >= maxFiles) throw new ProbeError(ProbeErrorCode.CONFIG, `the spec references more than ${maxFiles} documents`);
      byUri.set(uri, parseDocument(await readText(uri, options), uri));
    }
    for (const ref of externalRefs(byUri.get(uri))) {
      const target = new URL(ref, uri).href.split('#')[0]!;
      if (!byUri.has(target) && !queue.includes(target)) queue.push(target);
    }
  }
  return { root, byUri };
}

/** A path, `file:` URL or `http(s):` URL as an absolute URI. */
export function toUri(source: string): string {
  if (/^(https?|file):/i.test(source)) return new URL(source).href;
  return pathToFileURL(resolvePath(process.cwd(), source)).href;
}

async function readText(uri: string, options: LoadOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? 100_000_000;
  try {
    if (uri.startsWith('file:')) {
      const text = await readFile(fileURLToPath(uri), { encoding: 'utf8', signal: options.signal });
      if (text.length > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      return text;
    }
    const timeout = AbortSignal.timeout(options.fetchTimeoutMs ?? 10_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await request(uri, { signal, headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
    if (response.statusCode >= 400) {
      await response.body.dump();
      throw new Error(`HTTP ${response.statusCode}`);
    }
    const text = await response.body.text();
    if (text.length > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    return text;
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw new ProbeError(ProbeErrorCode.CONFIG, `cannot read the OpenAPI document ${uri}: ${messageOf(error)}`, {
      cause: error, hint: 'check the `openapi` option (a path, a file: or http(s): URL, or the parsed object)',
    });
  }
}

function parseDocument(text: string, uri: string): unknown {
  try {
    return /^\s*[[{]/.test(text) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 10_000 });
  } catch (error) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `${uri} is neither JSON nor YAML: ${messageOf(error)}`);
  }
}

/** Every `$ref` of a document that points outside it (has a part before `#`). */
function externalRefs(document: unknown): Set<string> {
  const out = new Set<string>();
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) if (item && typeof item === 'object') stack.push(item);
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) out.add(value);
        else if (value && typeof value === 'object') stack.push(value);
      }
    }
  }
  return out;
}

/** Resolve a `$ref` (relative to `base`) to the node it names. */
export function resolveRef(documents: Documents, ref: string, base: string): Located {
  const absolute = new URL(ref, base);
  const uri = absolute.href.split('#')[0]!;
  const document = documents.byUri.get(uri);
  if (document === undefined) throw new ProbeError(ProbeErrorCode.CONFIG, `unresolved $ref ${ref} (from ${base})`);
  const fragment = decodeURIComponent(absolute.hash.slice(1));
  return { node: pointerGet(document, fragment, ref), base: uri };
}

/** Follow `$ref`s until a node that is not a reference (at most 32 hops). */
export function deref<T = Record<string, unknown>>(documents: Documents, located: Located): Located<T> {
  let current = located;
  for (let hop = 0; hop < 32; hop++) {
    const ref = (current.node as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== 'string') return current as Located<T>;
    current = resolveRef(documents, ref, current.base);
  }
  throw new ProbeError(ProbeErrorCode.CONFIG, 'a $ref chain is longer than 32 hops (a cycle?)');
}

/** The value at a JSON pointer (`/components/schemas/User`). */
export function pointerGet(document: unknown, pointer: string, label = pointer): unknown {
  if (pointer === '' || pointer === '/') return document;
  let node = document;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) {
      throw new ProbeError(ProbeErrorCode.CONFIG, `unresolved $ref ${label}: no "${key}"`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
