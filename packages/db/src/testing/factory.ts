import { parseTable, quoteIdent, tableSql } from '../refs.ts';
import type { SqlClient } from './types.ts';

/** What a factory's defaults get: a sequence number unique per factory, and the client when creating. */
export interface FactoryContext {
  /** 1, 2, 3, … — use it for unique values (`user${sequence}@example.test`). */
  sequence: number;
  /** The client `create` was called with (undefined for `build`): create associated rows with it. */
  db?: SqlClient;
}

/** Builds and inserts rows of one table. */
export interface Factory<Row extends Record<string, unknown>> {
  /** The values of a new row (defaults, then overrides), without writing anything. */
  build(overrides?: Partial<Row>): Promise<Row>;
  /** Insert a row and return it as stored (`RETURNING *`: ids and defaults filled in). */
  create(db: SqlClient, overrides?: Partial<Row>): Promise<Row>;
  /** Insert `count` rows. */
  createMany(db: SqlClient, count: number, overrides?: Partial<Row>): Promise<Row[]>;
}

/**
 * A test-data factory (the factory pattern of the test-setup checklist):
 *
 * ```ts
 * const customers = defineFactory('customers', ({ sequence }) => ({ email: `c${sequence}@example.test` }));
 * const orders = defineFactory('orders', async ({ db }) => ({ customer_id: (await customers.create(db!)).id, total: 10 }));
 * const order = await orders.create(client, { total: 99 });
 * ```
 */
export function defineFactory<Row extends Record<string, unknown>>(
  table: string,
  defaults: (context: FactoryContext) => Partial<Row> | Promise<Partial<Row>>,
): Factory<Row> {
  const target = tableSql(parseTable(table));
  let sequence = 0;
  const values = async (overrides: Partial<Row> | undefined, db: SqlClient | undefined) =>
    ({ ...(await defaults({ sequence: ++sequence, ...(db ? { db } : {}) })), ...overrides }) as Row;
  const factory: Factory<Row> = {
    build: (overrides) => values(overrides, undefined),
    async create(db, overrides) {
      const row = await values(overrides, db);
      const columns = Object.keys(row).filter((column) => row[column] !== undefined);
      const sql = columns.length === 0
        ? `insert into ${target} default values returning *`
        : `insert into ${target} (${columns.map(quoteIdent).join(', ')}) values (${columns.map((_, index) => `$${index + 1}`).join(', ')}) returning *`;
      const { rows } = await db.query<Row>(sql, columns.map((column) => row[column]));
      return rows[0]!;
    },
    async createMany(db, count, overrides) {
      const rows: Row[] = [];
      for (let index = 0; index < count; index++) rows.push(await factory.create(db, overrides));
      return rows;
    },
  };
  return factory;
}
