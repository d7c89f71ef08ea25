import type pg from 'pg';
import type { ProductCache } from '../cache/product-cache.ts';
import { deleteProduct, findProduct, insertProduct, listProducts, updateProduct, type Product } from '../catalog/products.ts';
import { conflict, notFound } from '../http/problem.ts';
import type { Route } from '../http/router.ts';
import { idParam, pageOf } from './params.ts';

/** The catalogue: public reads (single products through the cache), admin writes that invalidate it. */
export function productRoutes(db: pg.Pool, cache: ProductCache): Route[] {
  return [
    { method: 'GET', path: '/products', access: 'public', handle: async ({ query }) => ({ body: await listProducts(db, pageOf(query)) }) },
    {
      method: 'GET', path: '/products/:productId', access: 'public',
      handle: async ({ params }) => {
        const id = idParam(params.productId, 'productId');
        const cached = await cache.get(id);
        if (cached.product) return { body: cached.product, headers: { 'x-cache': cached.cache } };
        const product = await findProduct(db, id);
        if (!product) throw notFound(`no product ${id}`);
        cache.fill(product);
        return { body: product, headers: { 'x-cache': cached.cache } };
      },
    },
    {
      method: 'POST', path: '/products', access: 'admin', body: 'NewProduct',
      handle: async ({ body }) => {
        const input = body as Omit<Product, 'id' | 'updatedAt' | 'stock'> & { stock?: number };
        const product = await insertProduct(db, { ...input, stock: input.stock ?? 0 }).catch((error: { code?: string }) => {
          throw error.code === '23505' ? conflict(`a product with sku ${input.sku} exists`) : error;
        });
        return { status: 201, body: product, headers: { location: `/products/${product.id}` } };
      },
    },
    {
      method: 'PATCH', path: '/products/:productId', access: 'admin', body: 'ProductPatch',
      handle: async ({ params, body }) => {
        const id = idParam(params.productId, 'productId');
        const product = await updateProduct(db, id, body as Partial<Product>);
        if (!product) throw notFound(`no product ${id}`);
        await cache.invalidate([id]);
        return { body: product };
      },
    },
    {
      method: 'DELETE', path: '/products/:productId', access: 'admin',
      handle: async ({ params }) => {
        const id = idParam(params.productId, 'productId');
        const deleted = await deleteProduct(db, id).catch((error: { code?: string }) => {
          throw error.code === '23503' ? conflict(`product ${id} is in orders; it cannot be removed`) : error;
        });
        if (!deleted) throw notFound(`no product ${id}`);
        await cache.invalidate([id]);
        return { status: 204 };
      },
    },
  ];
}
