import { headerValue, type Exchange, type HttpClient } from '../client/client.ts';
import { authorize, type Identity } from '../auth/identity.ts';
import { getPointer } from '../json-pointer.ts';
import type { Operation } from '../spec/operations.ts';

/** A resource this run created; deleted at teardown unless a check deleted it already. */
export interface CreatedResource {
  /** The operation that created it (`POST /notes`). */
  createdBy: string;
  /** The resource's item path, e.g. `/notes/42` (undefined when the id was not found). */
  itemPath?: string;
  id?: string;
  /** Whether the API documents a DELETE for it. */
  deletable: boolean;
  /** Who created it (their credentials delete it). */
  identity?: Identity;
  deleted: boolean;
}

/** What the run created, in creation order. */
export interface CreatedRegistry {
  add(resource: CreatedResource): CreatedResource;
  /** Resources not yet deleted. */
  pending(): CreatedResource[];
  /**
   * Delete every pending deletable resource (newest first) with its creator's credentials.
   * Returns what could not be removed, as `createdBy itemPath: why`.
   */
  cleanup(client: HttpClient, signal: AbortSignal): Promise<string[]>;
}

/** An empty registry. */
export function createRegistry(): CreatedRegistry {
  const resources: CreatedResource[] = [];
  return {
    add(resource) {
      resources.push(resource);
      return resource;
    },
    pending: () => resources.filter((resource) => !resource.deleted),
    async cleanup(client, signal) {
      const left: string[] = [];
      for (const resource of resources.filter((candidate) => !candidate.deleted).reverse()) {
        if (!resource.itemPath || !resource.deletable) {
          left.push(`${resource.createdBy} ${resource.itemPath ?? '(id unknown)'}: ${resource.itemPath ? 'the API documents no DELETE' : 'no id in the response'}`);
          continue;
        }
        try {
          const credentials = resource.identity ? await resource.identity.credentials(signal) : { headers: {}, query: {}, cookies: {} };
          const exchange = await client.send(authorize({ method: 'DELETE', path: resource.itemPath }, credentials), signal);
          const status = exchange.response?.status;
          if (status !== undefined && (status < 300 || status === 404 || status === 410)) resource.deleted = true;
          else left.push(`${resource.createdBy} ${resource.itemPath}: DELETE answered ${status ?? exchange.error}`);
        } catch (error) {
          left.push(`${resource.createdBy} ${resource.itemPath}: ${(error as Error).message}`);
        }
      }
      return left;
    },
  };
}

/**
 * The item path template of a collection (`/notes` → `/notes/{id}`): the operation path that
 * extends it by one placeholder, preferring one with a DELETE.
 */
export function itemTemplate(operations: Operation[], collection: string): { path: string; parameter: string; deletable: boolean } | undefined {
  const pattern = new RegExp(`^${escape(collection.replace(/\/$/, ''))}/\\{([^}/]+)\\}$`);
  const candidates = operations.filter((operation) => pattern.test(operation.path));
  if (candidates.length === 0) return undefined;
  const deletable = candidates.find((operation) => operation.method === 'DELETE');
  const chosen = deletable ?? candidates[0]!;
  return { path: chosen.path, parameter: pattern.exec(chosen.path)![1]!, deletable: !!deletable };
}

/**
 * The id of a created resource: a JSON pointer when given; else the body's `<parameter>`,
 * `id`, `data.id`, `uuid`; else the last segment of the `Location` header.
 */
export function createdId(exchange: Exchange, parameter: string, pointer?: string): string | undefined {
  const json = exchange.response?.json;
  const candidates = pointer
    ? [pointer === 'location' ? undefined : getPointer(json, pointer)]
    : [getPointer(json, `/${parameter}`), getPointer(json, '/id'), getPointer(json, '/data/id'), getPointer(json, '/uuid')];
  const found = candidates.find((value) => typeof value === 'string' || typeof value === 'number');
  if (found !== undefined) return String(found);
  const location = exchange.response ? headerValue(exchange.response.headers, 'location') : undefined;
  return location ? decodeURIComponent(location.split('?')[0]!.replace(/\/$/, '').split('/').pop() ?? '') || undefined : undefined;
}

/** Fill a one-placeholder item template with an id. */
export function itemPath(template: string, id: string): string {
  return template.replace(/\{[^}]+\}/, encodeURIComponent(id));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
