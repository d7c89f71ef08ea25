drop table outbox;
drop table order_items;
drop table orders;
