import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable } from '../process.ts';
import { daemonizeAndWait } from './daemon.ts';
import type { LocalStarter } from './starter.ts';

const MNESIA = process.env.RABBITMQ_MNESIA_BASE || '/var/lib/rabbitmq/mnesia';

function brokerPid(): number | undefined {
  try {
    const file = readdirSync(MNESIA).find((entry) => entry.endsWith('.pid'));
    return file ? Number(readFileSync(join(MNESIA, file), 'utf8').trim()) || undefined : undefined;
  } catch {
    return undefined;
  }
}

/** The machine's RabbitMQ node, started with `rabbitmq-server -detached` (about 5 s to answer). */
export const rabbitmqStarter: LocalStarter = {
  unavailable: () => (findExecutable('rabbitmq-server') ? undefined : 'rabbitmq-server is not installed (Debian: apt-get install rabbitmq-server)'),
  start: (context) =>
    daemonizeAndWait(context, {
      file: findExecutable('rabbitmq-server')!,
      args: ['-detached'],
      pid: brokerPid,
      match: 'beam',
      logHint: '/var/log/rabbitmq/',
    }),
};
