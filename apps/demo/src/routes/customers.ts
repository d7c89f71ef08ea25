import type pg from 'pg';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { signToken, TOKEN_TTL_SECONDS } from '../auth/tokens.ts';
import { deleteCustomer, findCustomer, findLogin, insertCustomer, listCustomers, type Customer } from '../catalog/customers.ts';
import { canActFor } from '../http/access.ts';
import { Problem, conflict, notFound } from '../http/problem.ts';
import type { Route } from '../http/router.ts';
import { idParam, pageOf } from './params.ts';

/** Login, the caller's own account, and account administration. */
export function customerRoutes(db: pg.Pool, jwtSecret: string): Route[] {
  return [
    {
      method: 'POST', path: '/auth/login', access: 'public', body: 'Login',
      handle: async ({ body }) => {
        const { email, password } = body as { email: string; password: string };
        const account = await findLogin(db, email);
        if (!account || !(await verifyPassword(password, account.passwordHash))) throw new Problem(401, 'Unauthorized', 'wrong email or password');
        const token = signToken({ customerId: account.id, role: account.role }, jwtSecret);
        return { body: { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS } };
      },
    },
    {
      method: 'GET', path: '/me', access: 'customer',
      handle: async ({ principal }) => {
        const customer = await findCustomer(db, principal!.customerId);
        if (!customer) throw new Problem(401, 'Unauthorized', 'the account of this token no longer exists');
        return { body: customer };
      },
    },
    { method: 'GET', path: '/customers', access: 'admin', handle: async ({ query }) => ({ body: await listCustomers(db, pageOf(query)) }) },
    {
      method: 'POST', path: '/customers', access: 'admin', body: 'NewCustomer',
      handle: async ({ body }) => {
        const input = body as Omit<Customer, 'id' | 'createdAt' | 'role'> & { password: string; role?: Customer['role'] };
        const customer = await insertCustomer(db, { email: input.email, name: input.name, role: input.role ?? 'customer' }, await hashPassword(input.password))
          .catch((error: { code?: string }) => { throw error.code === '23505' ? conflict(`an account with email ${input.email} exists`) : error; });
        return { status: 201, body: customer, headers: { location: `/customers/${customer.id}` } };
      },
    },
    {
      method: 'GET', path: '/customers/:customerId', access: 'customer',
      handle: async ({ params, principal }) => {
        const id = idParam(params.customerId, 'customerId');
        const customer = canActFor(principal, id) ? await findCustomer(db, id) : undefined;
        if (!customer) throw notFound(`no customer ${id}`);
        return { body: customer };
      },
    },
    {
      method: 'DELETE', path: '/customers/:customerId', access: 'admin',
      handle: async ({ params }) => {
        const id = idParam(params.customerId, 'customerId');
        const deleted = await deleteCustomer(db, id).catch((error: { code?: string }) => {
          throw error.code === '23503' ? conflict(`customer ${id} has orders; cancel them first`) : error;
        });
        if (!deleted) throw notFound(`no customer ${id}`);
        return { status: 204 };
      },
    },
  ];
}
