-- Index the foreign key order_items.product_id: "orders containing a product" and the
-- foreign-key check when a product is deleted would otherwise scan every order line.
create index order_items_product_id_idx on order_items (product_id);
