drop table products;
drop table customers;
drop function touch_updated_at();
