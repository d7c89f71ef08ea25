import { describe, expect, it } from 'vitest';
import { crc16, inRanges, keySlot, tagFor } from './slots.ts';
import { parseClusterNodes } from './cluster-nodes.ts';

describe('cluster hash slots', () => {
  it('match the cluster spec and Redis itself', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);   // the spec's reference value
    expect(keySlot('foo')).toBe(12_182);                      // what Redis answered with MOVED 12182
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));   // an empty tag hashes the whole key
  });

  it('tagFor finds a hash tag inside the given ranges', () => {
    const ranges: [number, number][] = [[10_924, 16_383]];
    expect(inRanges(keySlot(`probe:x:${tagFor(ranges)}`), ranges)).toBe(true);
  });
});

describe('parseClusterNodes', () => {
  it('reads addresses with hostnames, flags, masters and slots, ignoring migrating annotations', () => {
    const text = [
      '07c3 10.0.0.1:6379@16379,cache-0 myself,master - 0 0 1 connected 0-5460 5461 [5462->-e7d1]',
      'e7d1 [::1]:6380@16380 slave,fail? 07c3 0 0 1 disconnected',
    ].join('\n');
    expect(parseClusterNodes(text)).toEqual([
      { id: '07c3', host: '10.0.0.1', port: 6379, flags: ['myself', 'master'], link: 'connected', slots: [[0, 5460], [5461, 5461]] },
      { id: 'e7d1', host: '::1', port: 6380, flags: ['slave', 'fail?'], masterId: '07c3', link: 'disconnected', slots: [] },
    ]);
  });
});
