import type pg from 'pg';

/** A product as the API shows it. */
export interface Product {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
  updatedAt: string;
}

/** The columns of a product, named as the API names them (shared with the probe config's source-of-truth query). */
export const PRODUCT_COLUMNS = `id::int as id, sku, name, price_cents as "priceCents", stock, to_json(updated_at) #>> '{}' as "updatedAt"`;

export async function findProduct(db: pg.Pool, id: number): Promise<Product | undefined> {
  const { rows } = await db.query<Product>(`select ${PRODUCT_COLUMNS} from products where id = $1`, [id]);
  return rows[0];
}

export async function listProducts(db: pg.Pool, page: { limit: number; offset: number }): Promise<Product[]> {
  const { rows } = await db.query<Product>(`select ${PRODUCT_COLUMNS} from products order by id limit $1 offset $2`, [page.limit, page.offset]);
  return rows;
}

export async function insertProduct(db: pg.Pool, product: Omit<Product, 'id' | 'updatedAt'>): Promise<Product> {
  const { rows } = await db.query<Product>(
    `insert into products (sku, name, price_cents, stock) values ($1, $2, $3, $4) returning ${PRODUCT_COLUMNS}`,
    [product.sku, product.name, product.priceCents, product.stock],
  );
  return rows[0]!;
}

export async function updateProduct(db: pg.Pool, id: number, patch: Partial<Pick<Product, 'name' | 'priceCents' | 'stock'>>): Promise<Product | undefined> {
  const { rows } = await db.query<Product>(
    `update products set name = coalesce($2, name), price_cents = coalesce($3, price_cents), stock = coalesce($4, stock)
      where id = $1 returning ${PRODUCT_COLUMNS}`,
    [id, patch.name ?? null, patch.priceCents ?? null, patch.stock ?? null],
  );
  return rows[0];
}

/** False when no such product; throws 23503 (foreign_key_violation) when an order refers to it. */
export async function deleteProduct(db: pg.Pool, id: number): Promise<boolean> {
  const { rowCount } = await db.query('delete from products where id = $1', [id]);
  return rowCount === 1;
}
