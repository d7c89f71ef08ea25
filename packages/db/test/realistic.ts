import type { PostgresOptions } from '../src/index.ts';

/**
 * A shop schema of the size and shape integration suites meet: 9 tables, every
 * foreign key indexed, unique and CHECK constraints, an updated_at trigger, an
 * audit trigger, a view, an enum — and some thousands of rows.
 */
export const SHOP_SCHEMA = `
  create type order_status as enum ('new', 'paid', 'shipped', 'cancelled');
  create table customers (id bigint generated always as identity primary key, email text not null unique, name text not null,
    created_at timestamptz not null default now(), updated_at timestamptz not null default now());
  create table addresses (id serial primary key, customer_id bigint not null references customers on delete cascade, city text not null, zip text not null);
  create index addresses_customer on addresses (customer_id);
  create table categories (id serial primary key, name text not null unique);
  create table products (id serial primary key, category_id int not null references categories, sku text not null unique,
    price numeric(10, 2) not null constraint price_positive check (price > 0));
  create index products_category on products (category_id);
  create table orders (id bigserial primary key, customer_id bigint not null references customers, status order_status not null default 'new',
    total numeric(12, 2) not null default 0 constraint total_not_negative check (total >= 0),
    created_at timestamptz not null default now(), updated_at timestamptz not null default now());
  create index orders_customer on orders (customer_id);
  create index orders_created on orders (created_at);
  create table order_items (order_id bigint not null references orders on delete cascade, product_id int not null references products,
    quantity int not null constraint quantity_positive check (quantity > 0), primary key (order_id, product_id));
  create index order_items_product on order_items (product_id);
  create table payments (id bigserial primary key, order_id bigint not null references orders, amount numeric(12, 2) not null, paid_at timestamptz not null default now());
  create index payments_order on payments (order_id);
  create table audit_log (id bigserial primary key, table_name text not null, row_id bigint, action text not null, at timestamptz not null default now());
  create function touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
  create trigger orders_touch before update on orders for each row execute function touch();
  create trigger customers_touch before update on customers for each row execute function touch();
  create function audit() returns trigger language plpgsql as $$
    begin insert into audit_log (table_name, row_id, action) values (tg_table_name, old.id, tg_op); return old; end $$;
  create trigger orders_audit after delete on orders for each row execute function audit();
  create view order_totals as select o.id, o.total, sum(i.quantity) as items from orders o join order_items i on i.order_id = o.id group by o.id;

  insert into categories (name) select 'category ' || g from generate_series(1, 20) g;
  insert into products (category_id, sku, price) select 1 + g % 20, 'SKU-' || g, 1 + (g % 90) from generate_series(1, 500) g;
  insert into customers (email, name) select 'c' || g || '@example.test', 'Customer ' || g from generate_series(1, 2000) g;
  insert into addresses (customer_id, city, zip) select g, 'City ' || (g % 40), lpad((g % 99999)::text, 5, '0') from generate_series(1, 2000) g;
  insert into orders (customer_id, status, total) select 1 + g % 2000, (array['new','paid','shipped'])[1 + g % 3]::order_status, (g % 300) + 0.5 from generate_series(1, 12000) g;
  insert into order_items (order_id, product_id, quantity) select o, 1 + (o * 7 + k) % 500, 1 + k from generate_series(1, 12000) o, generate_series(0, 2) k;
  insert into payments (order_id, amount) select id, total from orders where status <> 'new';
  analyze;`;

/** The declarations a user of that schema would write. */
export const SHOP_DECLARATIONS: Omit<PostgresOptions, 'url'> = {
  expect: {
    tables: ['customers', 'orders', 'order_items', 'products', 'payments'],
    unique: ['customers.email', 'products.sku', 'order_items.(order_id, product_id)'],
    notNull: ['orders.customer_id', 'customers.email'],
    checks: ['products.price_positive', { table: 'order_items', name: 'quantity_positive', reject: { quantity: 0 } }],
    foreignKeys: ['orders.customer_id -> customers.id', 'order_items.order_id -> orders.id on delete cascade', 'addresses.customer_id -> customers.id on delete cascade'],
    relationships: ['payments.order_id -> orders.id'],
    triggers: [
      { table: 'orders', name: 'orders_touch', fires: 'update', sets: 'updated_at' },
      { table: 'orders', name: 'orders_audit', fires: 'delete', inserts: 'audit_log' },
    ],
    invariants: [{ name: 'paid orders have a payment', sql: "select o.id from orders o where o.status = 'paid' and not exists (select 1 from payments p where p.order_id = o.id)" }],
    withoutPrimaryKey: [],
  },
  queries: [
    { name: 'orders of a customer', sql: 'select * from orders where customer_id = $1 order by created_at desc limit 20', params: [42], maxMs: 50, mustUseIndex: 'orders_customer' },
    { name: 'customer by email', sql: 'select * from customers where email = $1', params: ['c42@example.test'], maxMs: 50, mustUseIndex: true },
    { name: 'items of an order', sql: 'select * from order_items where order_id = $1', params: [7], maxMs: 50 },
    { name: 'mark paid', sql: "update orders set status = 'paid' where id = $1", params: [7], maxMs: 50 },
  ],
};

/**
 * A fingerprint of everything in a database that is not the probe's: each
 * table's row count and a checksum of its rows, each sequence's position, the
 * schemas, and the databases on the server that look like the probe's.
 */
export const FINGERPRINT_SQL = `
  select coalesce(json_agg(t order by t.name), '[]') as fingerprint from (
    select format('%I.%I', schemaname, relname) as name,
           (xpath('/row/c/text()', query_to_xml(format('select count(*) as c, md5(coalesce(string_agg(x::text, '','' order by x::text), '''')) as h from %I.%I x', schemaname, relname), false, true, '')))[1]::text as rows,
           (xpath('/row/h/text()', query_to_xml(format('select md5(coalesce(string_agg(x::text, '','' order by x::text), '''')) as h from %I.%I x', schemaname, relname), false, true, '')))[1]::text as checksum
      from pg_stat_user_tables
    union all
    select format('sequence %I.%I', schemaname, sequencename), coalesce(last_value::text, 'unused'), '' from pg_sequences
    union all
    select 'schema ' || nspname, '', '' from pg_namespace where nspname !~ '^pg_' and nspname <> 'information_schema'
  ) t`;
