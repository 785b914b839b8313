/** Slots in a Redis Cluster: 16384, picked by CRC16 (XMODEM) of a key's hash tag, or of the key. */
export const CLUSTER_SLOTS = 16_384;

/**
 * The slot Redis Cluster places `key` in (the cluster spec: when the key holds `{` and, after it,
 * a `}` with at least one byte between, only those bytes are hashed).
 */
export function clusterSlot(key: string): number {
  const bytes = new TextEncoder().encode(key);
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % CLUSTER_SLOTS;
  }
  return crc16(bytes) % CLUSTER_SLOTS;
}

/** CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = (crc & 0x8000) !== 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}
