import type pg from 'pg';

/** An account as the API shows it (never its password hash). */
export interface Customer {
  id: number;
  email: string;
  name: string;
  role: 'customer' | 'admin';
  createdAt: string;
}

const COLUMNS = `id::int as id, email, name, role, to_json(created_at) #>> '{}' as "createdAt"`;

export async function findCustomer(db: pg.Pool, id: number): Promise<Customer | undefined> {
  const { rows } = await db.query<Customer>(`select ${COLUMNS} from customers where id = $1`, [id]);
  return rows[0];
}

/** The account and its password hash, by email (login). */
export async function findLogin(db: pg.Pool, email: string): Promise<{ id: number; role: Customer['role']; passwordHash: string } | undefined> {
  const { rows } = await db.query<{ id: number; role: Customer['role']; passwordHash: string }>(
    `select id::int as id, role, password_hash as "passwordHash" from customers where email = lower($1)`, [email],
  );
  return rows[0];
}

export async function listCustomers(db: pg.Pool, page: { limit: number; offset: number }): Promise<Customer[]> {
  const { rows } = await db.query<Customer>(`select ${COLUMNS} from customers order by id limit $1 offset $2`, [page.limit, page.offset]);
  return rows;
}

/** Emails are stored lower-case; throws 23505 on a duplicate. */
export async function insertCustomer(db: pg.Pool, customer: Omit<Customer, 'id' | 'createdAt'>, passwordHash: string): Promise<Customer> {
  const { rows } = await db.query<Customer>(
    `insert into customers (email, name, role, password_hash) values (lower($1), $2, $3, $4) returning ${COLUMNS}`,
    [customer.email, customer.name, customer.role, passwordHash],
  );
  return rows[0]!;
}

/** False when no such account; throws 23503 when it has orders. */
export async function deleteCustomer(db: pg.Pool, id: number): Promise<boolean> {
  const { rowCount } = await db.query('delete from customers where id = $1', [id]);
  return rowCount === 1;
}
