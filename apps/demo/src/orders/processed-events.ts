import type pg from 'pg';

/** Whether the consumer has handled this event before (a redelivery). */
export async function wasProcessed(db: pg.Pool, eventId: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from processed_events where event_id = $1', [eventId]);
  return rowCount === 1;
}

/** Note a handled event and what came of it. */
export async function recordProcessed(db: pg.Pool, entry: { eventId: string; topic: string; outcome: string }): Promise<void> {
  await db.query('insert into processed_events (event_id, topic, outcome) values ($1, $2, $3) on conflict do nothing', [entry.eventId, entry.topic, entry.outcome]);
}
