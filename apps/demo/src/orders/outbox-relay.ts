import type { Producer } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from '../log.ts';

/** Publishes outbox rows to Kafka, oldest first; wakes on demand and polls as a fallback. */
export interface OutboxRelay {
  wake(): void;
  stop(): Promise<void>;
}

const BATCH = 100;
const POLL_MS = 500;

/**
 * The outbox relay: in a transaction, lock a batch of unpublished rows (SKIP
 * LOCKED, so several instances share the work), send them (acks from all
 * in-sync replicas), mark them published. A crash between send and commit
 * publishes a row twice — at-least-once, which the consumer tolerates.
 */
export function startOutboxRelay(db: pg.Pool, producer: Producer, log: Logger): OutboxRelay {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let again = false;

  const publishBatch = async (): Promise<number> => {
    const client = await db.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string; topic: string; key: string; payload: unknown; headers: Record<string, string> }>(
        'select id, topic, key, payload, headers from outbox where published_at is null order by id limit $1 for update skip locked', [BATCH],
      );
      if (rows.length) {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...new Set(rows.map((row) => row.topic))].map((topic) => ({
            topic,
            messages: rows.filter((row) => row.topic === topic).map((row) => ({ key: row.key, value: JSON.stringify(row.payload), headers: { ...row.headers, 'event-id': `outbox-${row.id}` } })),
          })),
        });
        await client.query('update outbox set published_at = now() where id = any($1)', [rows.map((row) => row.id)]);
      }
      await client.query('commit');
      return rows.length;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  const drain = async () => {
    do {
      again = false;
      try {
        while (!stopped && (await publishBatch()) === BATCH);
      } catch (error) {
        if (!stopped) log.error(`outbox relay: ${(error as Error).message}; retrying in ${POLL_MS} ms`);
      }
    } while (again && !stopped);
  };

  const wake = () => {
    if (stopped) return;
    again = true;
    running = running.then(() => (again ? drain() : undefined));
  };
  const poll = () => {
    wake();
    timer = setTimeout(poll, POLL_MS);
  };
  poll();

  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
