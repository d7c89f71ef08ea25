/**
 * Redaction: passwords and tokens never leave the process. Used by the engine on
 * every result, log line and error message, and by packages on what they build.
 */

/** The text that replaces a secret. */
export const REDACTED = '***';

/** Header names whose values are always secret (lower case). */
export const SECRET_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token',
  'x-access-token', 'x-csrf-token', 'x-amz-security-token',
]);

/** Query parameter and JSON key names whose values are secret. */
const SECRET_KEY = /^(pass(word|wd)?|pwd|secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|apikey|client[_-]?secret|private[_-]?key|auth|authorization|sig|signature|session(id)?|cookie|set-cookie|x-api-key|x-amz-security-token)$/i;

/** True when a key (header, query parameter, JSON field) names a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_HEADERS.has(key.toLowerCase()) || SECRET_KEY.test(key);
}

// scheme://user:password@host  →  scheme://user:***@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):([^\s@/]*)@/gi;
// ?token=abc&x=1  →  ?token=***&x=1
const QUERY_SECRET = /([?&;])((?:pass(?:word|wd)?|pwd|secret|token|access_token|refresh_token|id_token|api[_-]?key|apikey|client_secret|sig|signature|auth)=)([^&#\s"']+)/gi;
// Authorization: Bearer abc   /   "authorization":"Bearer abc"
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9\-._~+/=:]{4,}/g;
// password=abc in connection strings (key=value form)
const KV_SECRET = /\b(password|passwd|pwd|sslpassword|sasl\.password)\s*=\s*('[^']*'|"[^"]*"|[^\s;,&]+)/gi;

/** A function that redacts one string. */
export type Redactor = (text: string) => string;

/**
 * Build a redactor for a set of known secret values (configured secrets, URL
 * passwords, tokens). Besides the values, it always masks URL passwords,
 * secret query parameters, `Bearer …`/`Basic …` credentials and `password=…` pairs.
 */
export function createRedactor(secrets: Iterable<string | undefined | null> = []): Redactor {
  const values = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < 3) continue;   // too short to redact without mangling text
    values.add(secret);
    try {
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) values.add(encoded);
    } catch { /* lone surrogate: keep the raw value only */ }
  }
  const ordered = [...values].sort((a, b) => b.length - a.length);
  return (text: string) => {
    if (typeof text !== 'string' || text.length === 0) return text;
    let out = text;
    for (const value of ordered) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out
      .replace(URL_USERINFO, (_match, head: string) => `${head}:${REDACTED}@`)
      .replace(QUERY_SECRET, (_match, sep: string, key: string) => `${sep}${key}${REDACTED}`)
      .replace(AUTH_SCHEME, (_match, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(KV_SECRET, (_match, key: string) => `${key}=${REDACTED}`);
  };
}

/** The password (and token-like user) of a URL, to add to a run's secrets. */
export function secretsOfUrl(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    const out: string[] = [];
    if (parsed.password) out.push(decodeURIComponent(parsed.password), parsed.password);
    for (const [key, value] of parsed.searchParams) if (isSecretKey(key) && value) out.push(value);
    return out;
  } catch {
    return [];
  }
}

/** Redact a URL: `postgres://app:secret@db/app` → `postgres://app:***@db/app`. */
export function redactUrl(url: string, redact: Redactor = createRedactor()): string {
  return redact(url);
}

/** Redact header values by name (Authorization, Cookie, …) and by content. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  redact: Redactor = createRedactor(),
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (isSecretKey(name)) out[name] = REDACTED;
    else out[name] = Array.isArray(value) ? value.map(redact) : redact(value);
  }
  return out;
}

/**
 * Deep-redact plain data: every string is passed through `redact`, and values
 * under secret-named keys (`password`, `authorization`, `token`, …) are masked.
 * Returns a new value; cycles become `[circular]` (an object shared by two
 * fields is not a cycle: both get their copy).
 */
export function redactDeep<T>(value: T, redact: Redactor, ancestors = new WeakSet<object>()): T {
  if (typeof value === 'string') return redact(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[circular]' as T;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact, ancestors)) as T;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSecretKey(key) && typeof inner === 'string' && inner !== ''
        ? REDACTED
        : redactDeep(inner, redact, ancestors);
    }
    return out as T;
  } finally {
    ancestors.delete(value);
  }
}
