import { createHash, randomBytes } from 'node:crypto';
import { setOwned } from '../keys.ts';
import type { CacheResources } from '../resources.ts';
import { formatBytes, infoNumber, parseInfo } from '../info.ts';
import { abortable, roundMs } from '../util.ts';
import { ITEM, refusedWrite, type CacheCheck } from './shared.ts';

/** Size of the binary value: every byte value 0–255, then random bytes. */
const BINARY_BYTES = 4_096;
/** Values above this are skipped when the headroom under maxmemory is short. */
const SMALL_BYTES = BINARY_BYTES;
/** Headroom under maxmemory must be this many times the bytes the probe writes. */
const HEADROOM_FACTOR = 16;

interface PlannedValue {
  label: string;
  bytes: Buffer;
}

interface Mismatch {
  value: string;
  key: string;
  size: number;
  problem: string;
  sentSha256?: string;
  gotSha256?: string;
  gotBytes?: number;
  firstDifferentByte?: number;
}

/**
 * `cache.ops.read-write`: SET/GET/DEL under the probe's prefix with values of
 * several sizes and a binary value holding every byte; each must come back
 * byte-identical and be gone after DEL. Never writes more than a small share
 * of the headroom under maxmemory, so it cannot make Redis evict the
 * application's keys.
 */
export const readWriteCheck: CacheCheck = {
  id: 'cache.ops.read-write',
  title: 'SET/GET/DEL round trip returns every value byte-identical',
  checklist: [ITEM.readWrite, ITEM.integrity],
  writes: true,
  async run({ resources, signal }) {
    const { deployment, keys, options } = resources;
    const client = deployment.client;
    const planned = plan(options.sample.valueSizes);
    const headroom = await headroomOf(resources, signal);
    const total = planned.reduce((sum, value) => sum + value.bytes.length, 0);
    const skipped = headroom !== undefined && headroom < total * HEADROOM_FACTOR ? planned.filter((value) => value.bytes.length > SMALL_BYTES) : [];
    const values = planned.filter((value) => !skipped.includes(value));

    const mismatches: Mismatch[] = [];
    const timings: number[] = [];
    for (const [index, value] of values.entries()) {
      const key = keys.name(`rw:${index}`);
      const started = performance.now();
      let reply: string | null;
      try {
        reply = await abortable(setOwned(keys, client, key, value.bytes, signal), signal);
      } catch (error) {
        return refusedWrite(error, `SET ${key} <${value.bytes.length} bytes> PX 60000`);
      }
      const got = await abortable(client.getBuffer(key), signal);
      timings.push(performance.now() - started);
      const base = { value: value.label, key, size: value.bytes.length };
      if (reply !== 'OK') mismatches.push({ ...base, problem: `SET answered ${JSON.stringify(reply)}` });
      else if (!got) mismatches.push({ ...base, problem: 'GET right after SET found nothing' });
      else if (!got.equals(value.bytes)) mismatches.push({ ...base, ...difference(value.bytes, got) });
    }
    for (const [index, value] of values.entries()) {
      const key = keys.name(`rw:${index}`);
      const removed = await abortable(client.del(key), signal);
      const after = await abortable(client.getBuffer(key), signal);
      const base = { value: value.label, key, size: value.bytes.length };
      if (removed !== 1) mismatches.push({ ...base, problem: `DEL answered ${removed}, expected 1` });
      else if (after !== null) mismatches.push({ ...base, problem: 'GET after DEL still found the value' });
    }

    const sizes = values.map((value) => value.label).join(', ');
    const evidence: Record<string, unknown> = {
      server: { address: deployment.seed.address, version: deployment.version, mode: deployment.mode },
      commands: ['SET <key> <value> PX 60000', 'GET <key>', 'DEL <key>', 'GET <key>'],
      values: values.map((value) => ({ label: value.label, bytes: value.bytes.length })),
      ...(skipped.length > 0 ? { skipped: { values: skipped.map((value) => value.label), reason: `only ${formatBytes(headroom!)} of headroom under maxmemory; larger values could make Redis evict application keys` } } : {}),
    };
    const metrics = [
      { name: 'cache.rw.values', value: values.length, unit: 'count' },
      { name: 'cache.rw.max_roundtrip_ms', value: roundMs(Math.max(0, ...timings)), unit: 'ms' },
    ];
    if (mismatches.length > 0) {
      const first = mismatches[0]!;
      return {
        status: 'fail',
        summary: `${mismatches.length} of ${values.length} values did not round-trip: ${first.value} ${first.problem}`,
        evidence: { ...evidence, mismatches, repro: repro(resources) },
        metrics,
      };
    }
    return { status: 'pass', summary: `${values.length} values (${sizes}) came back byte-identical and were gone after DEL`, evidence, metrics };
  },
};

function plan(sizes: readonly number[]): PlannedValue[] {
  const text = [...new Set(sizes)].sort((a, b) => a - b).map((size) => ({
    label: formatBytes(size),
    bytes: Buffer.from(randomBytes(size).map((byte) => 33 + (byte % 94))),
  }));
  const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, index) => index)), randomBytes(BINARY_BYTES - 256)]);
  return [...text, { label: `binary ${formatBytes(BINARY_BYTES)}`, bytes: binary }];
}

/** The smallest headroom under maxmemory across masters, or undefined when none sets maxmemory. */
async function headroomOf({ deployment }: CacheResources, signal: AbortSignal): Promise<number | undefined> {
  let smallest: number | undefined;
  for (const shard of deployment.shards) {
    const info = parseInfo(await abortable(shard.master.client.info('memory'), signal));
    const max = infoNumber(info, 'maxmemory') ?? 0;
    if (max > 0) smallest = Math.min(smallest ?? Infinity, Math.max(0, max - (infoNumber(info, 'used_memory') ?? 0)));
  }
  return smallest;
}

function difference(sent: Buffer, got: Buffer): Omit<Mismatch, 'value' | 'key' | 'size'> {
  let index = 0;
  while (index < sent.length && index < got.length && sent[index] === got[index]) index += 1;
  return {
    problem: `came back different from byte ${index} (${got.length} bytes instead of ${sent.length})`,
    sentSha256: sha(sent), gotSha256: sha(got), gotBytes: got.length, firstDifferentByte: index,
  };
}

function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function repro(resources: CacheResources): string {
  const key = `${resources.options.probeKeyPrefix}repro:bin`;
  return [
    'head -c 4096 /dev/urandom > value.bin',
    `${resources.cli(['-x', 'SET', key])} < value.bin`,
    `${resources.cli(['--raw', 'GET', key])} | head -c 4096 | cmp - value.bin`,
    resources.cli(['DEL', key]),
  ].join(' && ');
}
