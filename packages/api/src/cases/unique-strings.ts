/**
 * A body whose free-text strings are made unique to one attempt, keeping every
 * length, format and pattern the schema asks for: what a create retries with
 * after a 409 Conflict on a unique field (a SKU, an email, a title).
 */
import type { JsonSchema } from '../spec/json-schema.ts';
import { propertiesOf } from '../spec/mutations.ts';
import { resolveLocal, typesOf } from '../spec/samples.ts';

/**
 * The top-level string properties of `body` with `tag`'s characters written over their last
 * characters (an email's local part): the same length, so length boundaries still hold. Strings
 * with an enum, const, pattern or a format other than email, and strings under 3 characters, are
 * left alone. Returns `body` itself when nothing changed.
 */
export function uniqueStrings(body: unknown, schema: JsonSchema, tag: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const root = resolveLocal(schema, schema);
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  let changed = false;
  for (const [name, property] of propertiesOf(root, schema)) {
    const value = out[name];
    if (typeof value !== 'string' || !typesOf(property).includes('string')) continue;
    if (property.enum !== undefined || property.const !== undefined || property.pattern !== undefined) continue;
    const unique = property.format === 'email' ? uniqueEmail(value, tag) : property.format === undefined ? overwriteEnd(value, tag) : value;
    if (unique !== value) {
      out[name] = unique;
      changed = true;
    }
  }
  return changed ? out : body;
}

function uniqueEmail(value: string, tag: string): string {
  const at = value.lastIndexOf('@');
  return at < 1 ? value : `${overwriteEnd(value.slice(0, at), tag)}${value.slice(at)}`;
}

/** `tag` over the end of `value`, keeping at least its first character. */
function overwriteEnd(value: string, tag: string): string {
  const chars = [...value];
  if (chars.length < 3) return value;
  const keep = Math.max(1, chars.length - tag.length);
  return chars.slice(0, keep).join('') + tag.slice(0, chars.length - keep);
}
