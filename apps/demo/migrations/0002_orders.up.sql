-- Orders, their lines, and the transactional outbox their events leave through.
create table orders (
  id          uuid primary key,
  customer_id bigint not null references customers (id),
  status      text not null default 'pending' check (status in ('pending', 'paid', 'payment_failed')),
  total_cents integer not null check (total_cents >= 0),
  payment_id  text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
-- GET /orders lists a customer's orders, newest first.
create index orders_customer_id_created_at_idx on orders (customer_id, created_at desc);
create trigger orders_touch before update on orders for each row execute function touch_updated_at();

create table order_items (
  order_id         uuid not null references orders (id) on delete cascade,
  product_id       bigint not null references products (id),
  quantity         integer not null check (quantity > 0),
  unit_price_cents integer not null check (unit_price_cents > 0),
  primary key (order_id, product_id)
);

create table outbox (
  id           bigint generated always as identity primary key,
  topic        text not null,
  key          text not null,
  payload      jsonb not null,
  headers      jsonb not null default '{}',
  created_at   timestamptz not null default now(),
  published_at timestamptz
);
-- The relay reads what is not yet published, oldest first.
create index outbox_unpublished_idx on outbox (id) where published_at is null;
