/** Redis Cluster's hash slots. */
export const SLOT_COUNT = 16_384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

/** CRC16-CCITT (XMODEM), the checksum Redis Cluster hashes keys with. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/**
 * The hash slot of a key, as the cluster spec defines it: CRC16 of the key, or
 * of its hash tag (the part between the first `{` and the next `}`, when not
 * empty), modulo 16 384.
 */
export function keySlot(key: string | Buffer): number {
  const bytes = typeof key === 'string' ? Buffer.from(key) : key;
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % SLOT_COUNT;
  }
  return crc16(bytes) % SLOT_COUNT;
}

/** True when `slot` falls in one of the inclusive `[start, end]` ranges. */
export function inRanges(slot: number, ranges: readonly [number, number][]): boolean {
  return ranges.some(([start, end]) => slot >= start && slot <= end);
}

/** A hash tag that maps a key to one of `ranges` (`{3}` …), for writing a key on a chosen master. */
export function tagFor(ranges: readonly [number, number][]): string {
  for (let index = 0; index < 100_000; index++) {
    if (inRanges(crc16(Buffer.from(String(index))) % SLOT_COUNT, ranges)) return `{${index}}`;
  }
  throw new Error('no hash tag maps to the given slot ranges');
}
