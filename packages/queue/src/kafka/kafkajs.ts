import kafkajs from 'kafkajs';

/**
 * kafkajs is CommonJS and Node's named-export detection stops partway through
 * its `module.exports` object: `Kafka`, `logLevel`, `AssignerProtocol` import
 * by name, `ConfigResourceTypes` only through the default export.
 */
export const { ConfigResourceTypes } = kafkajs;
