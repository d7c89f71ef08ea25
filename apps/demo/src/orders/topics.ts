import type { Admin } from 'kafkajs';

/** Create the service's topics when missing: `order.created` and its dead-letter topic, 3 partitions each (as Spring's DLT mirrors its source). */
export async function ensureTopics(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: -1 })) })
    .catch((error: { type?: string }) => {
      if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error; // another instance created them meanwhile
    });
}
