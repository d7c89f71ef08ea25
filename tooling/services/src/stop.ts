import { stopContainer } from './containers.ts';
import { SERVICE_NAMES } from './env.ts';
import { forgetOwnership, readOwnership, stillOurs } from './ownership.ts';
import { terminate } from './process.ts';
import { stderrLog } from './report.ts';
import type { LogLine, ServiceName } from './types.ts';
import { errorMessage } from './wait.ts';

/**
 * Stops the services this package started (by recorded pid or container id)
 * and nothing else; a record whose process is gone or was replaced is only
 * forgotten. Resolves to the names it stopped.
 */
export async function stopServices(names: readonly ServiceName[] = SERVICE_NAMES, log: LogLine = stderrLog): Promise<ServiceName[]> {
  const stopped: ServiceName[] = [];
  await Promise.all(
    names.map(async (name) => {
      const record = readOwnership(name);
      if (!record) return;
      if (!stillOurs(record)) {
        log(`${name}: the process probe started (pid ${record.pid ?? '?'}) is gone; forgetting it`);
        forgetOwnership(name);
        return;
      }
      try {
        if (record.kind === 'container' && record.containerId) {
          await stopContainer(record.containerId);
          log(`${name}: stopped container ${record.containerId.slice(0, 12)}`);
        } else if (record.pid) {
          const how = await terminate(record.pid, record.stopSignal ?? 'SIGTERM', 30_000);
          log(`${name}: ${how === 'killed' ? 'killed (did not stop within 30 s)' : 'stopped'} pid ${record.pid}`);
        }
        forgetOwnership(name);
        stopped.push(name);
      } catch (error) {
        log(`${name}: could not stop it: ${errorMessage(error)}`);
      }
    }),
  );
  if (stopped.length === 0) log('nothing running that probe started; nothing stopped');
  return stopped;
}
