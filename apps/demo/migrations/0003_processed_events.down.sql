drop table processed_events;
