import type { KafkaMessage, Producer } from 'kafkajs';

/** Where a failed message came from, and why it failed. */
export interface DeadLetterCause {
  topic: string;
  partition: number;
  message: KafkaMessage;
  group: string;
  error: Error;
  /** Deliveries tried before giving up (1 for a message that cannot be parsed). */
  attempts: number;
}

/**
 * Publish a message to the dead-letter topic as Spring Kafka's
 * DeadLetterPublishingRecoverer does: the original key, value and headers,
 * plus `kafka_dlt-*` headers naming the original topic, partition, offset,
 * timestamp, group and the exception (values as text rather than Spring's
 * big-endian binary, so `kcat` shows them), and `delivery-attempts`.
 */
export async function publishDeadLetter(producer: Producer, dlt: string, cause: DeadLetterCause): Promise<void> {
  const { message, error } = cause;
  await producer.send({
    topic: dlt,
    acks: -1,
    messages: [{
      key: message.key,
      value: message.value,
      partition: cause.partition, // same partition as the original, as Spring's default resolver does
      headers: {
        ...message.headers,
        'kafka_dlt-original-topic': cause.topic,
        'kafka_dlt-original-partition': String(cause.partition),
        'kafka_dlt-original-offset': message.offset,
        'kafka_dlt-original-timestamp': message.timestamp,
        'kafka_dlt-original-timestamp-type': 'CreateTime',
        'kafka_dlt-original-consumer-group': cause.group,
        'kafka_dlt-exception-fqcn': error.name,
        'kafka_dlt-exception-message': error.message,
        'kafka_dlt-exception-stacktrace': (error.stack ?? '').split('\n').slice(0, 8).join('\n'),
        'delivery-attempts': String(cause.attempts),
      },
    }],
  });
}
