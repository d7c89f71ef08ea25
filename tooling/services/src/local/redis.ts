import { findExecutable } from '../process.ts';
import { serviceFiles, spawnAndWait, type LocalStarter } from './starter.ts';

/** redis-server on 127.0.0.1 (and ::1 where present), keeping nothing on disk. */
export const redisStarter: LocalStarter = {
  unavailable: () => (findExecutable('redis-server') ? undefined : 'redis-server is not installed (Debian: apt-get install redis-server)'),
  start: (context) => {
    const port = new URL(context.url).port || '6379';
    const { dataDir } = serviceFiles('redis');
    const args = ['--bind', '127.0.0.1', '-::1', '--port', port, '--save', '', '--appendonly', 'no', '--dir', dataDir];
    return spawnAndWait(context, { file: findExecutable('redis-server')!, args, match: 'redis-server' });
  },
};
