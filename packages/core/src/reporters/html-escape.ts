/** HTML escaping for the HTML reporter: everything a target said becomes inert text. */
import { printable } from './text.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for an HTML element or a quoted attribute value: `& < > " '`
 * become references, and control characters become visible `\xNN` (as on the
 * console), so no value from a target can open a tag, close an attribute or a
 * `<script>`/`<style>` element, or hide text.
 */
export function escapeHtml(text: string): string {
  return printable(text).replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** `name="value" …` from an object, escaped, skipping undefined values; `true` is a bare boolean attribute. */
export function htmlAttributes(attributes: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/**
 * A fragment id made only of `[a-z0-9._-]` (safe in an `id`, an `href="#…"` and a
 * URL), from any text: `orders-db/db.schema.fk` → `orders-db-db.schema.fk`.
 */
export function anchorSlug(text: string): string {
  const slug = text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? 'x' : slug;
}
