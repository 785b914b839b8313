import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/**
 * The storage shape core's stores are written against. Keys are logical paths of segments joined
 * by '/', e.g. `personas/<address>/sessions/<peer>`. `list` and `deleteTree` take a path prefix
 * of whole segments and cover every key below it.
 *
 * The Vault is the real implementation (encrypted LevelDB on disk); MemoryKeyValueStore is the
 * in-memory one used for comparisons and raw baselines. Both pass tests/core/keyValueStore.contract.
 */
export interface KeyValueStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Applies all operations atomically: all land or none do. */
  batch(operations: readonly KeyValueOperation[]): Promise<void>;
  /** Every entry below `prefix`, in no particular order. */
  list(prefix: string): Promise<KeyValueEntry[]>;
  deleteTree(prefix: string): Promise<void>;
  /**
   * Resolves once every write made so far is durable (for the Vault: in LevelDB's log). Writes
   * are visible to reads at once; callers await this before telling anyone else a write happened,
   * e.g. before acknowledging a message to the relay.
   */
  flush(): Promise<void>;
}

export type KeyValueOperation =
  | { readonly type: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'delete'; readonly key: string };

export interface KeyValueEntry {
  readonly key: string;
  readonly value: Uint8Array;
}

/** Longest logical key, in UTF-16 code units: keys are short paths, never data. */
export const MAX_KEY_LENGTH = 1024;

/**
 * Splits a logical key into segments, refusing empty segments (paths stay unambiguous), lone
 * surrogates (they cannot round-trip through UTF-8) and over-long keys.
 */
export function keySegments(key: string): string[] {
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > MAX_KEY_LENGTH ||
    !key.isWellFormed()
  ) {
    throw invalidKey();
  }
  const segments = key.split('/');
  if (segments.some((segment) => segment.length === 0)) throw invalidKey();
  return segments;
}

function invalidKey(): CoreError {
  return new CoreError(
    CoreErrorCode.InvalidInput,
    `storage keys are 1 to ${MAX_KEY_LENGTH} characters of non-empty segments joined by "/"`,
  );
}
