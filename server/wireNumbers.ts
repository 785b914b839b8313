/**
 * A uint64 from the wire (protobuf-es reads them as bigint) as a number. Stream indexes and log
 * lengths are safe integers; a larger value from a client saturates, which every check then
 * treats as "beyond the end".
 */
export function saturatingNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
