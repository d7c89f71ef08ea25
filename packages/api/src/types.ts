/**
 * Public option types of `http({...})`. The zod schema in options.ts validates
 * exactly these shapes; every field is documented here.
 */

/** A JSON value as it appears in request bodies and examples. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** `METHOD /path` of an operation, e.g. `GET /users/{id}` (the path as written in the spec). */
export type OperationKey = string;

/** Options of {@link http}: one HTTP API under test. */
export interface HttpOptions {
  /** Name of the target in reports; defaults to the base URL's host. */
  name?: string;
  /** Base URL of the API (`https://api.example.com/v1`); operation paths are appended to it. */
  baseUrl: string;
  /**
   * An OpenAPI 3.0 or 3.1 document: a file path, a `file:` or `http(s):` URL (JSON or YAML),
   * or the parsed object. `$ref`s are resolved, also across files. Cases are derived from it.
   */
  openapi?: string | Record<string, unknown>;
  /** Endpoints declared by hand, used alone or next to the spec (a declared one wins over the spec's). */
  endpoints?: EndpointOptions[];
  /**
   * Values for path, query and header parameters by name (`{ owner: 'octo', repo: 'demo' }`);
   * preferred over the spec's examples and generated values.
   */
  parameters?: Record<string, string | number | boolean>;
  /** Which operations to exercise, as `METHOD /path` globs or operationIds (`GET /users*`, `listUsers`). */
  operations?: { include?: string[]; exclude?: string[] };
  /** Headers sent with every request (besides `User-Agent` and `X-Probe-Run`). */
  headers?: Record<string, string>;
  /** The identity every request uses unless a check says otherwise. */
  auth?: AuthOptions;
  /** Named identities (`alice`, `bob`, `admin`) for `api.auth.permissions`. */
  users?: Record<string, AuthOptions>;
  /** The users × operations matrix and the cross-user test of `api.auth.permissions`. */
  permissions?: PermissionsOptions;
  /** Logout and the protected route of `api.auth.sessions`. */
  sessions?: SessionOptions;
  /** JWT hygiene of `api.auth.tokens`: a given expired token or a key to mint one. */
  jwt?: JwtOptions;
  /** Stateful create → read → update → read → delete flows of `api.dataflow.roundtrip`. */
  flows?: FlowOptions[];
  /** The bounded burst of `api.ratelimit`. */
  rateLimit?: RateLimitOptions;
  /** The receiver, trigger and expectations of `api.webhooks`. */
  webhooks?: WebhookOptions;
  /** The previous spec version for `api.contract.breaking`. */
  contract?: ContractOptions;
  /** Certificate and protocol expectations of `api.tls` (https base URLs only). */
  tls?: TlsOptions;
  /** Latency thresholds of `api.endpoints.latency`. */
  thresholds?: ThresholdOptions;
  /**
   * Allow writing requests (POST, PUT, PATCH, DELETE). Default `false`. Even then the probe
   * writes only to resources it created in this run and deletes them at teardown; under
   * `--read-only` nothing is written whatever this says.
   */
  writes?: boolean;
  /** Bounds on generated cases, time and transfer. */
  limits?: LimitOptions;
}

/** An endpoint declared by hand (without a spec, or to add to it). */
export interface EndpointOptions {
  /** HTTP method, default `GET`. */
  method?: string;
  /** Path relative to the base URL, with `{name}` placeholders filled from `parameters`. */
  path: string;
  /** Statuses this endpoint documents (default: any 2xx-4xx that is not 5xx). */
  status?: number | number[];
  /** Query parameters to send. */
  query?: Record<string, string | number | boolean>;
  /** Extra headers to send. */
  headers?: Record<string, string>;
  /** JSON body for writing methods. */
  body?: Json;
  /** A JSON Schema (2020-12) the 2xx response body must validate against. */
  responseSchema?: Record<string, unknown>;
  /** Content type of the 2xx response (default: any). */
  contentType?: string;
  /** The endpoint requires credentials (default: true when `auth` is set). */
  secured?: boolean;
}

/** How the probe gets and sends credentials. */
export type AuthOptions = BearerAuth | ApiKeyAuth | BasicAuth | OAuth2Auth | LoginAuth;

/** A static bearer token: `Authorization: Bearer <token>`. */
export interface BearerAuth {
  type: 'bearer';
  token: string;
}

/** A static API key in a header (default), query parameter or cookie. */
export interface ApiKeyAuth {
  type: 'apiKey';
  /** Header, query parameter or cookie name (`X-API-Key`). */
  name: string;
  value: string;
  in?: 'header' | 'query' | 'cookie';
}

/** HTTP Basic credentials. */
export interface BasicAuth {
  type: 'basic';
  username: string;
  password: string;
}

/** OAuth2 client-credentials grant; the token is refreshed before it expires. */
export interface OAuth2Auth {
  type: 'oauth2';
  /** Token endpoint, absolute or relative to the base URL. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  audience?: string;
  /** Refresh this long before `expires_in` runs out (default 30 000 ms). */
  refreshBeforeMs?: number;
}

/** A login endpoint: credentials in, a token (from a JSON pointer) or a session cookie out. */
export interface LoginAuth {
  type: 'login';
  /** Login path relative to the base URL (or absolute). */
  path: string;
  /** Method, default POST. */
  method?: string;
  /** JSON body with the credentials (`{ email, password }`). */
  body: Record<string, Json>;
  /** JSON pointer to the token in the response (default: `/access_token`, then `/token`). */
  tokenPointer?: string;
  /** JSON pointer to the lifetime in seconds (default `/expires_in`). */
  expiresInPointer?: string;
  /** JSON pointer to a refresh token (default `/refresh_token`). */
  refreshTokenPointer?: string;
  /** Refresh endpoint: POSTed `{ refresh_token }` (or `refreshBody` with `{{refreshToken}}`). */
  refreshPath?: string;
  refreshBody?: Record<string, Json>;
  /** Use this cookie from the response instead of a token (a session login). */
  cookie?: string;
  /** Refresh this long before expiry (default 30 000 ms). */
  refreshBeforeMs?: number;
}

/** One rule of the permissions matrix. */
export interface PermissionRule {
  /** A name from `users`, or `anonymous`. */
  user: string;
  /** `METHOD /path` (the spec's path template); placeholders come from `parameters`. */
  operation: OperationKey;
  /** Whether the user may perform it. */
  allow: boolean;
  /** JSON body for writing methods (writes must be allowed). */
  body?: Json;
}

/** Options of `api.auth.permissions`. */
export interface PermissionsOptions {
  /** Users × operations: each is sent and must be allowed (2xx) or denied (401/403/404). */
  rules?: PermissionRule[];
  /**
   * Cross-user access: `owner` creates a resource in `collection` (a writing request), then
   * `intruder` reads (and, with writes, updates and deletes) it; every attempt must be denied.
   */
  crossUser?: { owner: string; intruder: string; collection?: string; item?: string; body?: Json; idPointer?: string };
}

/** Options of `api.auth.sessions`; the login comes from the `login` auth (`auth` or `users`). */
export interface SessionOptions {
  /** The user whose login is tested (a name from `users`; default the `auth` identity). */
  user?: string;
  /** Session cookie name (default: the first cookie the login sets). */
  cookie?: string;
  /** Logout request, e.g. `POST /logout`. */
  logout?: OperationKey;
  /** A route that needs the session, e.g. `GET /me`. */
  protected: OperationKey;
}

/** JWT hygiene options. */
export interface JwtOptions {
  /** An expired token for this API (it must be rejected). */
  expiredToken?: string;
  /** A key to mint an expired token with the live token's claims (HS256/384/512 secret). */
  signingKey?: { algorithm: 'HS256' | 'HS384' | 'HS512'; secret: string };
  /** Warn when a token lives longer than this (default 86 400 s). */
  maxLifetimeSeconds?: number;
}

/** A value transformation the API applies between write and read (`email: 'lowercase'`). */
export type Transform = 'lowercase' | 'uppercase' | 'trim' | ((written: unknown) => unknown);

/** A declared stateful flow for `api.dataflow.roundtrip`. */
export interface FlowOptions {
  /** Shown in evidence; default the collection path. */
  name?: string;
  /** Collection path that creates with POST (`/notes`). */
  collection: string;
  /** Item path (default `<collection>/{id}`); its one placeholder takes the created id. */
  item?: string;
  /** Body of the create (default: generated from the spec's schema). */
  create?: Json;
  /** Update method and body (default PATCH with a changed string field). */
  update?: { method?: 'PUT' | 'PATCH'; body: Json };
  /** Where the created id is: a JSON pointer into the create response (default `/id`) or `location`. */
  id?: string;
  /** Fields the server sets (`id`, `createdAt`): not compared. */
  serverFields?: string[];
  /** Declared transformations applied to written values before comparing. */
  transforms?: Record<string, Transform>;
}

/** Options of `api.ratelimit`. */
export interface RateLimitOptions {
  /** Operation to burst (default the first GET without path parameters). */
  operation?: OperationKey;
  /** Requests in the burst (default 30, at most 1 000): never more are sent. */
  burst?: number;
  /** Requests in flight during the burst (default 5). */
  concurrency?: number;
  /** The documented limit per window: fail when more are accepted without a 429. */
  limit?: number;
  /** How long to wait for recovery after the first 429 (default 5 000 ms; Retry-After is honoured up to this). */
  recoveryMs?: number;
  /** Which user bursts (a name from `users`; default `auth`). */
  user?: string;
}

/** A request template; `{{url}}` in strings is the webhook receiver URL, `{{runId}}` the run id. */
export interface RequestTemplate {
  method?: string;
  path: string;
  body?: Json;
  headers?: Record<string, string>;
}

/** Options of `api.webhooks`. */
export interface WebhookOptions {
  /** Registers the receiver (e.g. `POST /webhooks` with `{ url: '{{url}}' }`); its `id` is unregistered at the end. */
  subscribe?: RequestTemplate;
  /** Removes the subscription: `{id}` in the path is the id from the subscribe response (`/id`). */
  unsubscribe?: RequestTemplate;
  /** What makes the API send a webhook: a request, or a function. */
  trigger: RequestTemplate | ((context: { url: string; runId: string }) => Promise<void>);
  /** Shared secret of the HMAC signature. */
  secret?: string;
  /** Where and how the signature is sent (default `X-Signature`, sha256, hex, no prefix). */
  signature?: { header?: string; algorithm?: 'sha1' | 'sha256' | 'sha512'; encoding?: 'hex' | 'base64'; prefix?: string; timestampHeader?: string };
  /** JSON Schema of the payload, or a `#/components/...` pointer into the spec. */
  schema?: Record<string, unknown> | string;
  /** How long to wait for a delivery (default 5 000 ms). */
  windowMs?: number;
  /** The receiver answers 503 to the first N deliveries and expects a retry (default 0: retries not tested). */
  failFirst?: number;
  /** Receiver bind host and port (default 127.0.0.1:0). */
  host?: string;
  port?: number;
  /** URL the API must call when it cannot reach the bind address directly. */
  publicUrl?: string;
}

/** Options of `api.contract.breaking`. */
export interface ContractOptions {
  /** The previous version of the spec (path, URL or object); the current one is `openapi`. */
  previous: string | Record<string, unknown>;
  /** `error` (default): breaking changes fail, warnings warn; `warning`: both fail. */
  failOn?: 'error' | 'warning';
}

/** Options of `api.tls`. */
export interface TlsOptions {
  /** Extra CA certificates (PEM) to trust. */
  ca?: string | string[];
  /** Fail below this many days left (default 7). */
  minDaysLeft?: number;
  /** Warn below this many days left (default 30). */
  warnDaysLeft?: number;
}

/** Latency thresholds. */
export interface ThresholdOptions {
  /** p95 limit for every operation in ms (default 1 000). */
  p95Ms?: number;
  /** Per-operation p95 limits: `{ 'GET /search': { p95Ms: 2000 } }`. */
  operations?: Record<OperationKey, { p95Ms: number }>;
  /** Requests per safe operation for the latency figures (default 5, at most 100). */
  samples?: number;
}

/** Bounds on everything the probe sends. */
export interface LimitOptions {
  /** Operations exercised at most (default 200); the rest are reported as not covered. */
  maxOperations?: number;
  /** Generated negative/boundary cases per operation at most (default 8). */
  maxCasesPerOperation?: number;
  /** Time budget of each case-generating check (default 10 000 ms); cases not sent are reported. */
  budgetMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Per-request timeout for headers and body (default 5 000 ms). */
  requestTimeoutMs?: number;
  /** TCP/TLS connect timeout (default 3 000 ms). */
  connectTimeoutMs?: number;
  /** Response bodies are read up to this many bytes (default 1 MiB). */
  maxBodyBytes?: number;
}
