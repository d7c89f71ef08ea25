import type { Redis } from 'ioredis';
import { infoNumber, parseInfo, pick, type Info } from '../info.ts';
import { abortable, roundMs, sleep } from '../util.ts';
import { ITEM, type CacheCheck, type Finding } from './shared.ts';

/** RedisMissingBackup: the last save may be this old while changes wait (48 h). */
const MAX_SAVE_AGE_S = 48 * 3_600;

/** Persistence settings: INFO persistence plus `save`/`appendonly` where CONFIG GET is allowed. */
export interface PersistenceFacts {
  info: Info;
  /** CONFIG GET save (`3600 1 300 100`, `''` for none); undefined when CONFIG is denied. */
  save?: string;
  use: 'cache' | 'store';
  /** Seconds since the epoch, now. */
  now: number;
}

/**
 * Judge persistence: a failing RDB save or AOF write fails (with
 * stop-writes-on-bgsave-error Redis then refuses writes: MISCONF); no
 * persistence warns for a store (a restart loses everything) and is fine for
 * a cache; pending changes with the last save over 48 h ago warn.
 */
export function judgePersistence({ info, save, use, now }: PersistenceFacts): Finding[] {
  const findings: Finding[] = [];
  const aof = info.aof_enabled === '1';
  const rdb = save === undefined ? undefined : save.trim() !== '';
  if (info.rdb_last_bgsave_status && info.rdb_last_bgsave_status !== 'ok') findings.push({ status: 'fail', text: `the last RDB save failed (rdb_last_bgsave_status:${info.rdb_last_bgsave_status})` });
  if (aof && info.aof_last_write_status && info.aof_last_write_status !== 'ok') findings.push({ status: 'fail', text: `AOF writes are failing (aof_last_write_status:${info.aof_last_write_status})` });
  if (aof && info.aof_last_bgrewrite_status && info.aof_last_bgrewrite_status !== 'ok') findings.push({ status: 'warn', text: `the last AOF rewrite failed (aof_last_bgrewrite_status:${info.aof_last_bgrewrite_status})` });
  if (info.loading === '1') findings.push({ status: 'warn', text: 'the server is still loading its dataset (loading:1)' });
  const lastSave = infoNumber(info, 'rdb_last_save_time') ?? now;
  if (rdb && (infoNumber(info, 'rdb_changes_since_last_save') ?? 0) > 0 && now - lastSave > MAX_SAVE_AGE_S) {
    findings.push({ status: 'warn', text: `the last RDB save was ${Math.round((now - lastSave) / 3_600)} h ago with changes pending` });
  }
  if (!aof && rdb === false) {
    findings.push(use === 'store'
      ? { status: 'warn', text: 'no persistence (save "" and appendonly no): a restart loses every key' }
      : { status: 'pass', text: 'no persistence (fine for a cache: it restarts empty)' });
  } else {
    findings.push({ status: 'pass', text: `persistence: ${[rdb ? `RDB (save ${save})` : rdb === undefined ? 'RDB settings unknown (CONFIG denied)' : '', aof ? 'AOF' : ''].filter(Boolean).join(' + ')}` });
  }
  return findings;
}

/**
 * `cache.consistency.recovery`: opens its own connection, kills it with
 * `CLIENT KILL ID` (its own id only), and measures how long until the next
 * command answers (ioredis reconnects; bounded by `recoveryMs`); reports the
 * event timeline and the persistence settings (RDB/AOF), judged by
 * {@link judgePersistence}.
 */
export const recoveryCheck: CacheCheck = {
  id: 'cache.consistency.recovery',
  title: 'After its connection is killed the client reconnects within the bound; persistence is healthy',
  checklist: [ITEM.recovery, ITEM.integrity],
  async run({ resources, signal }) {
    const { deployment, options } = resources;
    const bound = options.thresholds.recoveryMs;
    const client = await abortable(resources.connect(deployment.seed.endpoint), signal);
    const timeline: { event: string; atMs: number }[] = [];
    const id = Number(await abortable(client.client('ID'), signal));
    const started = performance.now();
    for (const event of ['close', 'reconnecting', 'connect', 'ready', 'end']) client.on(event, () => timeline.push({ event, atMs: roundMs(performance.now() - started) }));
    const killed = Number(await abortable(deployment.seed.client.client('KILL', 'ID', String(id)), signal));
    const answer = await abortable(Promise.race([
      client.ping().then(() => 'PONG' as const, (error: Error) => error.message),
      sleep(bound, signal).then(() => 'timeout' as const),
    ]), signal);
    const recoveredMs = roundMs(performance.now() - started);
    const newId = answer === 'PONG' ? Number(await abortable(client.client('ID'), signal)) : undefined;

    const persistence = await persistenceOf(deployment.seed.client, options.use, signal);
    const evidence = {
      commands: [`CLIENT KILL ID ${id}`, 'PING'],
      killed, clientId: id, ...(newId !== undefined ? { clientIdAfter: newId } : {}),
      timeline,
      persistence: { ...pick(persistence.info, ['aof_enabled', 'rdb_last_bgsave_status', 'aof_last_write_status', 'aof_last_bgrewrite_status', 'rdb_last_save_time', 'rdb_changes_since_last_save', 'loading']), save: persistence.save ?? 'unknown (CONFIG GET denied)' },
      findings: persistence.findings.map((finding) => `${finding.status}: ${finding.text}`),
      repro: `${resources.cli(['CLIENT', 'LIST'])}  # then CLIENT KILL ID <your test client's id> and watch it reconnect`,
    };
    if (killed !== 1) return { status: 'fail', summary: `CLIENT KILL ID ${id} killed ${killed} connections; the probe's own connection was not found`, evidence };
    if (answer !== 'PONG') {
      const why = answer === 'timeout' ? `no answer within ${bound} ms` : `the next command failed: ${answer}`;
      return { status: 'fail', summary: `after CLIENT KILL the client did not recover: ${why} (events: ${timeline.map((entry) => entry.event).join(' → ') || 'none'})`, evidence };
    }
    const metrics = [{ name: 'cache.recovery_ms', value: recoveredMs, unit: 'ms' }];
    const failing = persistence.findings.find((finding) => finding.status === 'fail') ?? persistence.findings.find((finding) => finding.status === 'warn');
    const line = `reconnected and answered ${recoveredMs} ms after CLIENT KILL (${timeline.map((entry) => entry.event).join(' → ')})`;
    if (failing) return { status: failing.status, summary: `${failing.text}; ${line}`, evidence, metrics };
    return { status: 'pass', summary: `${line}; ${persistence.findings.map((finding) => finding.text).join('; ')}`, evidence, metrics };
  },
};

async function persistenceOf(client: Redis, use: 'cache' | 'store', signal: AbortSignal) {
  const info = parseInfo(await abortable(client.info('persistence'), signal));
  const save = await abortable(client.call('CONFIG', 'GET', 'save').then((reply) => String((reply as string[])[1] ?? ''), () => undefined), signal);
  return { info, save, findings: judgePersistence({ info, ...(save !== undefined ? { save } : {}), use, now: Math.floor(Date.now() / 1_000) }) };
}
