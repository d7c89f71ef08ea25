import { findExecutable } from '../process.ts';
import { serviceFiles, spawnAndWait, type LocalStarter } from './starter.ts';

/** nats-server with JetStream on 127.0.0.1, storing streams in the state directory. */
export const natsStarter: LocalStarter = {
  unavailable: () => (findExecutable('nats-server') ? undefined : 'nats-server is not installed (Debian: apt-get install nats-server)'),
  start: (context) => {
    const port = new URL(context.url).port || '4222';
    const { dataDir } = serviceFiles('nats');
    const args = ['-a', '127.0.0.1', '-p', port, '-js', '-sd', dataDir];
    return spawnAndWait(context, { file: findExecutable('nats-server')!, args, match: 'nats-server' });
  },
};
