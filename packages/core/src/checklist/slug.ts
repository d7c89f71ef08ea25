/**
 * The rules that turn checklist titles into id segments. Changing any of them
 * changes public ids: treat it as breaking.
 */

/**
 * Lower-case kebab of any text: apostrophes vanish (`don't` → `dont`), every
 * other run of characters outside `a-z0-9` becomes one `-`, accents are folded.
 * `Test request/response` → `test-request-response`, `Retry & Error Handling` → `retry-error-handling`.
 */
export function kebab(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A `## Section` title minus a trailing ` Integration` or ` Testing`: `Message Queue Integration` → `message-queue`. */
export function sectionSlug(title: string): string {
  return required(kebab(title.trim().replace(/\s+(Integration|Testing)$/i, '')), title);
}

/** A group title minus a trailing ` Testing`: `Connection Testing` → `connection`, `Cache Operations` → `cache-operations`. */
export function groupSlug(title: string): string {
  return required(kebab(title.trim().replace(/\s+Testing$/i, '')), title);
}

/**
 * An item's text with parenthesised parts dropped and backticks ignored:
 * `Test database configured (sqlite :memory: or test container)` → `test-database-configured`,
 * ``Async fixtures use `@pytest.fixture` + `async` `` → `async-fixtures-use-pytest-fixture-async`.
 */
export function itemSlug(text: string): string {
  let stripped = text;
  for (let previous = ''; previous !== stripped; ) {
    previous = stripped;
    stripped = stripped.replace(/\([^()]*\)/g, ' ');
  }
  return required(kebab(stripped), text);
}

/** `message-queue` → `messageQueue`, for the {@link ITEMS} constants. */
export function camel(slug: string): string {
  return slug.replace(/-([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}

function required(slug: string, title: string): string {
  if (slug === '') throw new Error(`checklist: "${title}" has no letters or digits to make an id from`);
  return slug;
}
