import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serverProperties } from './config.ts';
import { randomClusterId, storageIsUsable } from './storage.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function formatted(meta: string, stamp: object) {
  const dir = mkdtempSync(join(tmpdir(), 'probe-kafka-storage-'));
  dirs.push(dir);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'meta.properties'), meta);
  writeFileSync(join(dataDir, 'bootstrap.checkpoint'), '');
  writeFileSync(join(dir, 'formatted.json'), JSON.stringify(stamp));
  return { dataDir, stampFile: join(dir, 'formatted.json') };
}

describe('kafka storage', () => {
  it('makes cluster ids Kafka accepts: 22 base64url characters, never a leading dash', () => {
    for (let index = 0; index < 200; index++) expect(randomClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });

  it('keeps storage formatted by this version for this port, wipes anything else', () => {
    const expected = { version: '4.1.2', port: 9092 };
    const meta = 'version=1\nnode.id=1\ncluster.id=abc\n';
    const good = formatted(meta, { ...expected, clusterId: 'abc' });
    expect(storageIsUsable(good.dataDir, good.stampFile, expected)).toBe(true);
    expect(storageIsUsable(good.dataDir, good.stampFile, { ...expected, version: '3.9.2' })).toBe(false);
    const otherCluster = formatted(meta, { ...expected, clusterId: 'xyz' });
    expect(storageIsUsable(otherCluster.dataDir, otherCluster.stampFile, expected)).toBe(false);
    const otherNode = formatted('node.id=2\ncluster.id=abc\n', { ...expected, clusterId: 'abc' });
    expect(storageIsUsable(otherNode.dataDir, otherNode.stampFile, expected)).toBe(false);
    expect(storageIsUsable('/nonexistent', '/nonexistent.json', expected)).toBe(false);
  });

  it('writes a single-node KRaft config with replication factor 1 and no group delay', () => {
    const text = serverProperties({ version: '4.1.2', host: '127.0.0.1', port: 9092, dataDir: '/d' });
    expect(text).toContain('controller.quorum.voters=1@127.0.0.1:9093\n');
    expect(text).toContain('listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093\n');
    expect(text).toContain('offsets.topic.replication.factor=1\n');
    expect(text).toContain('group.initial.rebalance.delay.ms=0\n');
    expect(text).toContain('share.coordinator.state.topic.replication.factor=1\n');
    expect(serverProperties({ version: '3.9.2', host: '127.0.0.1', port: 9092, dataDir: '/d' })).not.toContain('share.coordinator');
  });
});
