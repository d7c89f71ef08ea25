-- migrate:up
create table shop_notes (id serial primary key, body text not null);
-- migrate:down
drop table shop_notes;
