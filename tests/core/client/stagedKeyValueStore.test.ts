// StagedKeyValueStore is internal to the client (core does not export it), so this suite imports
// it by path: every KeyValueStore runs the one compliance suite (STYLE.md rule 6), and every step
// the client takes reads and writes through this one.
import { describe, expect, it } from 'vitest';
import type { KeyValueOperation, KeyValueStore } from '../../../core/index.js';
import { MemoryKeyValueStore, utf8 } from '../../../core/index.js';
import { StagedKeyValueStore } from '../../../core/client/StagedKeyValueStore.js';
import type { OpenedKeyValueStore } from '../keyValueStore.contract.js';
import { describeKeyValueStoreContract } from '../keyValueStore.contract.js';

/**
 * Commits what was staged before each write, so that every read merges writes already in the
 * inner store with a newer one still staged over them (a put over a stored key, a delete of one).
 */
class CommitBeforeEachWrite implements KeyValueStore {
  readonly #staged: StagedKeyValueStore;

  constructor(staged: StagedKeyValueStore) {
    this.#staged = staged;
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.#staged.get(key);
  }

  list(prefix: string): Promise<{ key: string; value: Uint8Array }[]> {
    return this.#staged.list(prefix);
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    await this.#staged.commit();
    await this.#staged.put(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.#staged.commit();
    await this.#staged.delete(key);
  }

  async batch(operations: readonly KeyValueOperation[]): Promise<void> {
    await this.#staged.commit();
    await this.#staged.batch(operations);
  }

  async deleteTree(prefix: string): Promise<void> {
    await this.#staged.commit();
    await this.#staged.deleteTree(prefix);
  }

  flush(): Promise<void> {
    return this.#staged.flush();
  }
}

function opened(store: KeyValueStore): Promise<OpenedKeyValueStore> {
  return Promise.resolve({ store, close: () => Promise.resolve() });
}

describeKeyValueStoreContract('StagedKeyValueStore, nothing committed', () =>
  opened(new StagedKeyValueStore(new MemoryKeyValueStore())),
);

describeKeyValueStoreContract('StagedKeyValueStore, staged over committed', () =>
  opened(new CommitBeforeEachWrite(new StagedKeyValueStore(new MemoryKeyValueStore()))),
);

describe('StagedKeyValueStore', () => {
  it('writes nothing to the inner store until commit, then everything in one batch', async () => {
    const inner = new MemoryKeyValueStore();
    await inner.put('kept', utf8('kept'));
    await inner.put('gone', utf8('gone'));
    const batches: (readonly KeyValueOperation[])[] = [];
    const innerBatch = inner.batch.bind(inner);
    inner.batch = (operations) => {
      batches.push(operations);
      return innerBatch(operations);
    };
    const staged = new StagedKeyValueStore(inner);
    await staged.put('new/a', utf8('a'));
    await staged.delete('gone');
    await staged.deleteTree('new');
    await staged.put('new/b', utf8('b'));
    expect(await inner.get('gone')).toStrictEqual(utf8('gone'));
    expect(await inner.list('new')).toStrictEqual([]);
    expect(batches).toStrictEqual([]);

    await staged.commit();
    expect(batches).toHaveLength(1);
    expect(await inner.get('gone')).toBeUndefined();
    expect(await inner.get('new/a')).toBeUndefined();
    expect(await inner.get('new/b')).toStrictEqual(utf8('b'));
    expect(await inner.get('kept')).toStrictEqual(utf8('kept'));
  });

  it('forgets staged writes on discard', async () => {
    const inner = new MemoryKeyValueStore();
    await inner.put('k', utf8('stored'));
    const staged = new StagedKeyValueStore(inner);
    await staged.put('k', utf8('staged'));
    await staged.put('other', utf8('staged'));
    staged.discard();
    expect(await staged.get('k')).toStrictEqual(utf8('stored'));
    expect(await staged.get('other')).toBeUndefined();
    await staged.commit();
    expect(await inner.get('other')).toBeUndefined();
  });
});
