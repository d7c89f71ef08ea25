-- The consumer's ledger of handled events: a redelivered event (at-least-once) is recognised and skipped.
create table processed_events (
  event_id     text primary key,
  topic        text not null,
  outcome      text not null,
  processed_at timestamptz not null default now()
);
