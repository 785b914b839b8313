import { fromUtf8, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';

/**
 * Small JSON values an app keeps beside the vault's protocol state: read markers, settings, drafts.
 * Sealed in the vault like everything else, under a prefix of their own, so they can never
 * collide with (or read) a persona's keys, sessions or messages.
 */
export interface LocalData {
  /** The value stored under `key`, or undefined when there is none. */
  get(key: string): Promise<unknown>;
  /**
   * Stores a JSON-serializable `value` under `key`, replacing what was there, and resolves once it
   * is on disk. CORE_INVALID_INPUT for a malformed key, a value JSON cannot hold (undefined, a
   * function, a bigint, a cycle), or one larger than {@link MAX_LOCAL_DATA_BYTES} as JSON.
   */
  put(key: string, value: unknown): Promise<void>;
  /** Removes `key` (nothing happens when it is absent), and resolves once that is on disk. */
  delete(key: string): Promise<void>;
}

/** Longest key. Keys are names chosen by the app, not data. */
export const MAX_LOCAL_DATA_KEY_LENGTH = 200;
/** Largest value, as UTF-8 JSON. */
export const MAX_LOCAL_DATA_BYTES = 64 * 1024;

const LOCAL_DATA = 'local-data';
/** Names of a-z 0-9 : . _ -, optionally in '/'-separated parts (`desktop/preferences`). */
const KEY_PATTERN = /^[a-z0-9:._-]+(?:\/[a-z0-9:._-]+)*$/;

/** {@link LocalData} over the vault. `checkOpen` throws once the client is closed. */
export class VaultLocalData implements LocalData {
  readonly #store: KeyValueStore;
  readonly #checkOpen: () => void;

  constructor(store: KeyValueStore, checkOpen: () => void) {
    this.#store = store;
    this.#checkOpen = checkOpen;
  }

  async get(key: string): Promise<unknown> {
    this.#checkOpen();
    const bytes = await this.#store.get(storedKey(key));
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(fromUtf8(bytes)) as unknown;
    } catch (error) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'a local data record is unreadable', {
        cause: error,
      });
    }
  }

  async put(key: string, value: unknown): Promise<void> {
    this.#checkOpen();
    const slot = storedKey(key);
    const bytes = utf8(serialize(value));
    if (bytes.length > MAX_LOCAL_DATA_BYTES) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        `a local data value is at most ${MAX_LOCAL_DATA_BYTES} bytes as JSON`,
      );
    }
    await this.#store.put(slot, bytes);
    await this.#store.flush();
  }

  async delete(key: string): Promise<void> {
    this.#checkOpen();
    await this.#store.delete(storedKey(key));
    await this.#store.flush();
  }
}

function storedKey(key: unknown): string {
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > MAX_LOCAL_DATA_KEY_LENGTH ||
    !KEY_PATTERN.test(key)
  ) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a local data key is 1 to ${MAX_LOCAL_DATA_KEY_LENGTH} of a-z 0-9 : . _ - in parts joined by /`,
    );
  }
  return `${LOCAL_DATA}/${key}`;
}

function serialize(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // A bigint or a cycle.
    throw new CoreError(CoreErrorCode.InvalidInput, 'a local data value must be JSON', {
      cause: error,
    });
  }
  // JSON.stringify answers undefined for undefined, functions and symbols.
  if (typeof json !== 'string') {
    throw new CoreError(CoreErrorCode.InvalidInput, 'a local data value must be JSON');
  }
  return json;
}
