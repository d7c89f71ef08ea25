/**
 * Parsing of the references users write in `expect`: `users`, `app.users`,
 * `users.email`, `orders.(tenant_id, number)`, `orders.customer_id -> customers.id`.
 * Identifiers are plain (`[A-Za-z_][A-Za-z0-9_$]*`, matched case-insensitively
 * as PostgreSQL folds them) or double-quoted (`"Order Items"`, exact).
 */

/** A table as written: `users` (found through the search_path) or `app.users`. */
export interface TableRef {
  schema?: string;
  table: string;
}

/** Columns of one table: `users.email`, `orders.(tenant_id, number)`. */
export interface ColumnsRef extends TableRef {
  columns: string[];
}

/** The ON DELETE action of a foreign key, as `pg_constraint.confdeltype` spells it. */
export type DeleteAction = 'a' | 'r' | 'c' | 'n' | 'd';

/** `orders.customer_id -> customers.id [on delete cascade]`. */
export interface RelationRef {
  from: ColumnsRef;
  to: ColumnsRef;
  onDelete?: DeleteAction;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const DELETE_ACTIONS: Record<string, DeleteAction> = {
  'no action': 'a', restrict: 'r', cascade: 'c', 'set null': 'n', 'set default': 'd',
};

/** The words of `DeleteAction`, for messages. */
export const DELETE_ACTION_WORDS: Record<DeleteAction, string> = {
  a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default',
};

/** Split on `.` outside double quotes, and fold/unquote each part. Throws with a readable reason. */
function identifiers(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '"') {
      if (quoted && text[index + 1] === '"') {
        current += '"';
        index++;
      } else {
        quoted = !quoted;
        wasQuoted = true;
      }
    } else if (char === '.' && !quoted) {
      parts.push(finish(current, wasQuoted));
      current = '';
      wasQuoted = false;
    } else {
      current += char;
    }
  }
  if (quoted) throw new Error('has an unclosed double quote');
  parts.push(finish(current, wasQuoted));
  return parts;
}

function finish(part: string, wasQuoted: boolean): string {
  if (wasQuoted) {
    if (part === '') throw new Error('has an empty quoted name');
    return part;
  }
  const trimmed = part.trim();
  if (!PLAIN.test(trimmed)) throw new Error(trimmed === '' ? 'has an empty name' : `has an invalid name "${trimmed}" (quote it: "${trimmed}")`);
  return trimmed.toLowerCase();
}

/** `users` or `app.users`. */
export function parseTable(text: string): TableRef {
  const parts = identifiers(text.trim());
  if (parts.length === 1) return { table: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, table: parts[1]! };
  throw new Error('expected "table" or "schema.table"');
}

/** `users.email`, `app.users.email` or `orders.(tenant_id, number)`. */
export function parseColumns(text: string): ColumnsRef {
  const trimmed = text.trim();
  const group = /^(.*)\.\(([^)]*)\)$/.exec(trimmed);
  if (group) {
    const columns = group[2]!.split(',').map((column) => identifiers(column.trim()));
    if (columns.some((column) => column.length !== 1)) throw new Error('expected plain column names inside (…)');
    return { ...parseTable(group[1]!), columns: columns.map((column) => column[0]!) };
  }
  const parts = identifiers(trimmed);
  if (parts.length === 2) return { table: parts[0]!, columns: [parts[1]!] };
  if (parts.length === 3) return { schema: parts[0]!, table: parts[1]!, columns: [parts[2]!] };
  throw new Error('expected "table.column", "schema.table.column" or "table.(a, b)"');
}

/** `orders.customer_id -> customers.id` with an optional `on delete <action>`. */
export function parseRelation(text: string): RelationRef {
  const match = /^(.+?)\s*->\s*(.+?)(?:\s+on\s+delete\s+(no action|restrict|cascade|set null|set default))?\s*$/i.exec(text.trim());
  if (!match) throw new Error('expected "table.column -> table.column" (optionally followed by "on delete cascade")');
  const from = parseColumns(match[1]!);
  const to = parseColumns(match[2]!);
  if (from.columns.length !== to.columns.length) throw new Error(`has ${from.columns.length} referencing but ${to.columns.length} referenced columns`);
  return { from, to, ...(match[3] ? { onDelete: DELETE_ACTIONS[match[3].toLowerCase()]! } : {}) };
}

/** Quote an identifier for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `app.users` / `users` as SQL text that `to_regclass` and statements accept. */
export function tableSql(ref: TableRef): string {
  return ref.schema ? `${quoteIdent(ref.schema)}.${quoteIdent(ref.table)}` : quoteIdent(ref.table);
}

/** How a reference reads in messages: `orders.(tenant_id, number)`, `users.email`. */
export function describeColumns(ref: ColumnsRef): string {
  const table = ref.schema ? `${ref.schema}.${ref.table}` : ref.table;
  return ref.columns.length === 1 ? `${table}.${ref.columns[0]}` : `${table}.(${ref.columns.join(', ')})`;
}
