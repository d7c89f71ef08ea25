import type { Principal } from '../auth/tokens.ts';

/** Who may call a route: anyone, any signed-in account, or admins only. */
export type Access = 'public' | 'customer' | 'admin';

/** What a route handler gets. */
export interface Request {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed, schema-validated JSON body (routes with a `body` schema). */
  body: unknown;
  /** The caller (undefined on public routes without a token). */
  principal: Principal | undefined;
}

/** What a route handler returns. */
export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** `/orders/:id` */
  path: string;
  access: Access;
  /** Name of the request body schema in the OpenAPI document's components. */
  body?: string;
  handle(request: Request): Promise<Reply> | Reply;
}

/** Which route a method and path select, or which methods the path allows (for 405). */
export function match(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | { allow: string[] } | undefined {
  const allow: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allow.push(route.method);
  }
  return allow.length ? { allow } : undefined;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = got[index]!;
    if (part.startsWith(':')) {
      if (!value) return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined; // a malformed escape: no such resource
      }
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}
