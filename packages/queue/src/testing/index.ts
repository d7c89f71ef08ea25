export { startKafka, type StartKafkaOptions, type StartedKafka } from './start-kafka.ts';
export { createTestTopic, type TestMessage, type TestTopic, type TestTopicOptions } from './kafka-topic.ts';
export { createTestQueue, type TestQueue, type TestQueueOptions } from './rabbit-queue.ts';
export { createTestStream, type TestStream, type TestStreamOptions } from './nats-stream.ts';
