import { isKafka4 } from './version.ts';

/** Where one single-node broker listens and keeps its data. */
export interface BrokerLayout {
  version: string;
  host: string;
  /** Client listener (PLAINTEXT); the controller listens on `port + 1`. */
  port: number;
  dataDir: string;
}

/**
 * server.properties of a single-node KRaft broker+controller for tests: a
 * static quorum (so `format` needs no --standalone), every replication factor
 * 1, no group-join delay, and few threads for a 2-core machine.
 */
export function serverProperties(layout: BrokerLayout): string {
  const { host, port } = layout;
  const lines = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${port + 1}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${port + 1}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${layout.dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    ...(isKafka4(layout.version)
      ? ['share.coordinator.state.topic.replication.factor=1', 'share.coordinator.state.topic.min.isr=1']
      : []),
    'group.initial.rebalance.delay.ms=0',
    // After a kill -9 the restarted broker waits out its old session: keep that short.
    'broker.session.timeout.ms=3000',
    'broker.heartbeat.interval.ms=500',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    'file.delete.delay.ms=1000', // deleted test topics leave the disk within a second
    'num.network.threads=2',
    'num.io.threads=2',
    'background.threads=2',
    'num.recovery.threads.per.data.dir=1',
    'log.cleaner.threads=1',
  ];
  return `${lines.join('\n')}\n`;
}
