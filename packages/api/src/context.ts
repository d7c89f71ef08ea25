import type { CheckContext } from '@probe/core';
import { authorize, type Identity } from './auth/identity.ts';
import { SAFE_METHODS } from './cases/build.ts';
import { createdId, itemTemplate } from './cases/created.ts';
import type { Exchange, SendOptions } from './client/client.ts';
import type { ApiResources } from './resources.ts';
import type { Operation } from './spec/operations.ts';

/** The check context of this package. */
export type ApiContext = CheckContext<ApiResources>;

/** Whether a check may send writing requests now: `writes: true` and not `--read-only`. */
export function canWrite(context: ApiContext): boolean {
  return context.resources.options.writes && !context.readOnly;
}

/** Why writing cases were not sent. */
export function whyNoWrites(context: ApiContext): string {
  return context.readOnly ? 'read-only mode' : 'writes are not allowed (set `writes: true`)';
}

/** True for methods the probe sends without the `writes` permission. */
export function isSafe(operation: Operation): boolean {
  return SAFE_METHODS.has(operation.method);
}

/** Send a request as an identity (or anonymously when it is undefined). */
export async function sendAs(context: ApiContext, identity: Identity | undefined, send: SendOptions): Promise<Exchange> {
  const request = identity ? authorize(send, await identity.credentials(context.signal)) : send;
  return context.resources.client.send(request, context.signal);
}

/** The identity for an operation's positive case: the default one when the operation is secured. */
export function identityFor(resources: ApiResources, operation: Operation): Identity | undefined {
  return operation.secured ? resources.identities.get('default') : undefined;
}


/**
 * Record what a POST created (deliberately, or because the API accepted what it should have
 * refused) so teardown deletes it: the id from the response, the item path from the spec.
 * Returns the id (undefined when the answer carries none).
 */
export function registerCreated(context: ApiContext, operation: Operation, exchange: Exchange, label = 'created'): string | undefined {
  const template = itemTemplate(context.resources.operations, operation.path);
  const id = createdId(exchange, template?.parameter ?? 'id');
  const collection = new URL(exchange.request.url).pathname.replace(/\/$/, '');
  const base = new URL(context.resources.client.baseUrl).pathname.replace(/\/$/, '');
  context.resources.registry.add({
    createdBy: `${operation.key} (${label})`, ...(id !== undefined ? { id } : {}),
    ...(template && id !== undefined ? { itemPath: `${collection.slice(base.length)}/${encodeURIComponent(id)}` } : {}),
    deletable: !!template?.deletable, identity: identityFor(context.resources, operation), deleted: false,
  });
  return id;
}
