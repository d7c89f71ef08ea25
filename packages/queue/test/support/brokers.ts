import { serviceUrl } from '@probe/services';
import type { Probe } from '@probe/core';
import { kafka, nats, rabbitmq } from '../../src/index.ts';

/** One broker the shared operations checks run against, and how to make its probe. */
export interface BrokerFixture {
  name: 'kafka' | 'rabbitmq' | 'nats';
  /** The service URL; undefined when the service is missing (outside CI the tests skip). */
  url: string | undefined;
  /** What a destination is called on this broker. */
  noun: string;
  /** A probe with small operations sizes (tests stay fast) plus `extra` options. */
  probe(extra?: Record<string, unknown>): Probe;
}

const ops = { throughputMessages: 500, messageBytes: 256, persistenceMessages: 10, orderingMessages: 20 };

export const BROKERS: BrokerFixture[] = [
  { name: 'kafka', url: serviceUrl('kafka'), noun: 'topic', probe: (extra = {}) => kafka({ brokers: serviceUrl('kafka')!, ops, ...extra }) },
  { name: 'rabbitmq', url: serviceUrl('amqp'), noun: 'queue', probe: (extra = {}) => rabbitmq({ url: serviceUrl('amqp')!, ops, ...extra }) },
  { name: 'nats', url: serviceUrl('nats'), noun: 'stream', probe: (extra = {}) => nats({ servers: serviceUrl('nats')!, ops, ...extra }) },
];

/** The fixture for one broker. */
export function broker(name: BrokerFixture['name']): BrokerFixture {
  return BROKERS.find((fixture) => fixture.name === name)!;
}
