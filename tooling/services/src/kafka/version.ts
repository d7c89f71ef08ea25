/** The Kafka version `up` runs (`PROBE_KAFKA_VERSION`; 4.1.x needs Java 17, 3.9.x is the fallback). */
export function kafkaVersion(): string {
  return process.env.PROBE_KAFKA_VERSION || '4.1.2';
}

/** Kafka 4 logs through log4j2; 3.x through reload4j. */
export function isKafka4(version: string): boolean {
  return Number(version.split('.')[0]) >= 4;
}
