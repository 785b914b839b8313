import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../core/index.js';
import { MemoryKeyValueStore, ScopedKeyValueStore, Vault, utf8 } from '../../core/index.js';
import type { OpenedKeyValueStore } from './keyValueStore.contract.js';
import {
  CONTRACT_FIXTURE,
  INVALID_KEYS,
  describeKeyValueStoreContract,
  expectFixture,
  sortByKey,
  writeFixture,
} from './keyValueStore.contract.js';

const PASSPHRASE = 'correct horse battery staple';

function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'kindred-'));
}

function openMemory(): Promise<OpenedKeyValueStore> {
  return Promise.resolve({ store: new MemoryKeyValueStore(), close: () => Promise.resolve() });
}

async function openVault(): Promise<OpenedKeyValueStore> {
  const dir = await tempDir();
  try {
    const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
    return {
      store: vault,
      close: async () => {
        await vault.lock();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Keys next to the scope (a look-alike sibling, its parent, the root) that no scoped call may
 * touch. Each holds its own name as its value. */
const SCOPE = 'scope/s';
const NEIGHBOURS = ['scope/s', 'scope/sa/b/c', 'scope/s2/a/b', 'scope/a/b', 'a/b', 'a/b/c', 'top'];

/** Runs the contract through a scope over `inner`, and after every test checks that the scope's
 * neighbours are exactly as they were. */
function scopedOver(openInner: () => Promise<OpenedKeyValueStore>) {
  return async (): Promise<OpenedKeyValueStore> => {
    const inner = await openInner();
    for (const key of NEIGHBOURS) await inner.store.put(key, utf8(key));
    return {
      store: new ScopedKeyValueStore(inner.store, SCOPE),
      close: async () => {
        try {
          for (const key of NEIGHBOURS) {
            expect(await inner.store.get(key), key).toStrictEqual(utf8(key));
          }
          expect((await inner.store.list('scope/sa')).map((entry) => entry.key)).toStrictEqual([
            'scope/sa/b/c',
          ]);
          expect((await inner.store.list('a')).map((entry) => entry.key).sort()).toStrictEqual([
            'a/b',
            'a/b/c',
          ]);
        } finally {
          await inner.close();
        }
      },
    };
  };
}

describeKeyValueStoreContract('MemoryKeyValueStore', openMemory);
describeKeyValueStoreContract('Vault', openVault);
describeKeyValueStoreContract(
  'ScopedKeyValueStore over MemoryKeyValueStore',
  scopedOver(openMemory),
);
describeKeyValueStoreContract('ScopedKeyValueStore over Vault', scopedOver(openVault));

describe('ScopedKeyValueStore', () => {
  it.each(INVALID_KEYS)('refuses the invalid prefix %j', (bad) => {
    expect(() => new ScopedKeyValueStore(new MemoryKeyValueStore(), bad)).toThrow();
  });

  it('keeps sibling scopes apart', async () => {
    const inner = new MemoryKeyValueStore();
    const first = new ScopedKeyValueStore(inner, 'p/one');
    const second = new ScopedKeyValueStore(inner, 'p/one-more');
    await first.put('k', utf8('first'));
    await second.put('k', utf8('second'));
    await first.put('t/x', utf8('first tree'));
    await second.put('t/x', utf8('second tree'));

    expect(await first.get('k')).toStrictEqual(utf8('first'));
    expect(await first.list('t')).toStrictEqual([{ key: 't/x', value: utf8('first tree') }]);
    await first.deleteTree('t');
    await first.delete('k');
    expect(await second.get('k')).toStrictEqual(utf8('second'));
    expect(await second.list('t')).toStrictEqual([{ key: 't/x', value: utf8('second tree') }]);
    expect((await inner.list('p')).map((entry) => entry.key).sort()).toStrictEqual([
      'p/one-more/k',
      'p/one-more/t/x',
    ]);
  });

  it('nests: a scope over a scope writes below both prefixes', async () => {
    const inner = new MemoryKeyValueStore();
    const nested = new ScopedKeyValueStore(new ScopedKeyValueStore(inner, 'outer'), 'inner/deep');
    await nested.put('k/v', utf8('value'));
    expect(await inner.get('outer/inner/deep/k/v')).toStrictEqual(utf8('value'));
    expect(await nested.list('k')).toStrictEqual([{ key: 'k/v', value: utf8('value') }]);
  });
});

describe('Vault across close and reopen', () => {
  const dirs: string[] = [];

  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function withVault(
    dir: string,
    create: boolean,
    use: (vault: Vault) => Promise<void>,
  ): Promise<void> {
    const vault = create
      ? await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' })
      : await Vault.open(dir, PASSPHRASE);
    try {
      await use(vault);
    } finally {
      await vault.lock();
    }
  }

  it('reads back the contract data after lock and Vault.open', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await withVault(dir, true, writeFixture);
    await withVault(dir, false, expectFixture);
    // A second cycle: LevelDB has by now moved the data out of its log into a table.
    await withVault(dir, false, expectFixture);
  });

  it('keeps overwrites, deletes, batches and deleted trees across reopen', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await withVault(dir, true, async (vault) => {
      await writeFixture(vault);
      await vault.put('top', utf8('overwritten'));
      await vault.delete('bin/zeros');
      await vault.deleteTree('a/b');
      await vault.batch([
        { type: 'put', key: 'batched/one', value: utf8('one') },
        { type: 'delete', key: 'a/bc' },
      ]);
    });
    await withVault(dir, false, async (vault) => {
      expect(await vault.get('top')).toStrictEqual(utf8('overwritten'));
      expect(await vault.get('bin/zeros')).toBeUndefined();
      expect(await vault.get('a/bc')).toBeUndefined();
      expect(await vault.get('batched/one')).toStrictEqual(utf8('one'));
      expect(sortByKey(await vault.list('a'))).toStrictEqual(
        sortByKey(
          CONTRACT_FIXTURE.filter((entry) => entry.key === 'a/bc/d' || entry.key === 'a/b'),
        ),
      );
    });
  });

  it('reads data written through a scope back through a new scope', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const scoped = (store: KeyValueStore): KeyValueStore =>
      new ScopedKeyValueStore(store, 'persona-data/someone');
    await withVault(dir, true, (vault) => writeFixture(scoped(vault)));
    await withVault(dir, false, async (vault) => {
      await expectFixture(scoped(vault));
      expect(await vault.list('persona-data/someone')).toHaveLength(CONTRACT_FIXTURE.length);
    });
  });
});
