import { randomBytes } from 'node:crypto';
import { setOwned } from '../keys.ts';
import { infoNumber, parseInfo } from '../info.ts';
import type { CacheResources } from '../resources.ts';
import { abortable, roundMs, sleep } from '../util.ts';
import { ITEM, refusedWrite, type CacheCheck } from './shared.ts';

/** Interval of the EXISTS polls around the expiry. */
const POLL_MS = 5;

/**
 * `cache.ops.expiration`: `SET k v PX ttl`, then PTTL must be in (0, ttl],
 * GET at half the TTL must still read the value, and the key must be gone
 * within `expiryToleranceMs` after the TTL. Reports the observed expiry lag
 * (first EXISTS = 0 after the TTL, an upper bound) and the expired_keys delta.
 */
export const expirationCheck: CacheCheck = {
  id: 'cache.ops.expiration',
  title: 'A key with a short PX TTL is readable before it and gone after it',
  checklist: [ITEM.expiration],
  writes: true,
  async run({ resources, signal }) {
    const { deployment, keys, options } = resources;
    const client = deployment.client;
    const ttl = options.sample.ttlMs;
    const tolerance = options.thresholds.expiryToleranceMs;
    const key = keys.name('ttl');
    const value = randomBytes(8).toString('hex');
    const expiredBefore = await expiredKeys(resources, signal);
    const command = `SET ${key} ${value} PX ${ttl}`;
    const reproKey = `${options.probeKeyPrefix}repro:ttl`;
    const repro = `${resources.cli(['SET', reproKey, 'v', 'PX', ttl])} && ${resources.cli(['PTTL', reproKey])} && sleep ${(ttl + tolerance) / 1_000} && ${resources.cli(['EXISTS', reproKey])}`;

    const sent = performance.now();
    try {
      await abortable(setOwned(keys, client, key, value, signal, ttl), signal);
    } catch (error) {
      return refusedWrite(error, command);
    }
    const pttl = await abortable(client.pttl(key), signal);
    const evidence: Record<string, unknown> = { command, pttlAfterSet: pttl, ttlMs: ttl, toleranceMs: tolerance };
    if (pttl === -1) return { status: 'fail', summary: `the TTL was not applied: PTTL answered -1 (no expiry) right after ${command}`, evidence: { ...evidence, repro } };
    if (pttl === -2) return { status: 'fail', summary: `the key was missing right after ${command} (PTTL -2)`, evidence: { ...evidence, repro } };
    if (pttl > ttl) return { status: 'fail', summary: `PTTL ${pttl} ms is above the ${ttl} ms that was set`, evidence: { ...evidence, repro } };

    await sleep(sent + ttl / 2 - performance.now(), signal);
    const askedAt = performance.now() - sent;
    const midway = await abortable(client.get(key), signal);
    if (midway !== value && askedAt >= ttl) {
      return {
        status: 'warn',
        summary: `inconclusive: the probe meant to read at ${ttl / 2} ms but only got to it at ${Math.round(askedAt)} ms, after the TTL (a busy event loop); raise sample.ttlMs`,
        evidence: { ...evidence, getAtMs: roundMs(askedAt), getAtHalfTtl: midway, repro },
      };
    }
    if (midway !== value) {
      return { status: 'fail', summary: `the key was gone at half its ${ttl} ms TTL (GET answered ${JSON.stringify(midway)})`, evidence: { ...evidence, getAtHalfTtl: midway, repro } };
    }

    const due = sent + ttl;
    await sleep(due - performance.now(), signal);
    let goneAt: number | undefined;
    // At least one poll, even when the event loop woke up after the tolerance had passed.
    do {
      if ((await abortable(client.exists(key), signal)) === 0) {
        goneAt = performance.now();
        break;
      }
      await sleep(POLL_MS, signal);
    } while (performance.now() <= due + tolerance);
    const expiredDelta = (await expiredKeys(resources, signal)) - expiredBefore;
    evidence.expiredKeysDelta = expiredDelta;
    if (goneAt === undefined) {
      const left = await abortable(client.pttl(key), signal);
      return {
        status: 'fail',
        summary: `the key was still readable ${tolerance} ms after its ${ttl} ms TTL (PTTL now ${left})`,
        evidence: { ...evidence, pttlAfterTolerance: left, repro },
      };
    }
    const lag = roundMs(Math.max(0, goneAt - due));
    return {
      status: 'pass',
      summary: `a key set with PX ${ttl} was readable at ${ttl / 2} ms and gone ${Math.round(lag)} ms after its TTL (tolerance ${tolerance} ms)`,
      evidence: { ...evidence, expiryLagMs: lag },
      metrics: [
        { name: 'cache.expiry_lag_ms', value: lag, unit: 'ms' },
        { name: 'cache.pttl_after_set_ms', value: pttl, unit: 'ms' },
      ],
    };
  },
};

/** expired_keys summed over the masters. */
async function expiredKeys({ deployment }: CacheResources, signal: AbortSignal): Promise<number> {
  const infos = await abortable(Promise.all(deployment.shards.map((shard) => shard.master.client.info('stats'))), signal);
  return infos.reduce((sum, text) => sum + (infoNumber(parseInfo(text), 'expired_keys') ?? 0), 0);
}
