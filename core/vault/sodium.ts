import sodium from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodium;

/** libsodium compiles its WebAssembly asynchronously once per process; everything waits here. */
export async function loadSodium(): Promise<Sodium> {
  await sodium.ready;
  return sodium;
}
