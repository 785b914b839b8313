// The one compliance suite every KeyValueStore runs (STYLE.md rule 6). Each test opens a fresh,
// empty store and closes it afterwards.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueEntry, KeyValueStore } from '../../core/index.js';
import { utf8 } from '../../core/index.js';

export interface OpenedKeyValueStore {
  readonly store: KeyValueStore;
  readonly close: () => Promise<void>;
}

/** Keys the interface refuses: empty, an empty segment, or a leading or trailing '/'. */
export const INVALID_KEYS: readonly string[] = ['', 'a//b', '/a', 'a/', '/', '//'];

/** Fresh bytes in a plain Uint8Array (never a Buffer). */
export function randomValue(length: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(length));
}

/** A spread of shapes (nested paths, look-alike siblings, empty and binary values) that the
 * contract writes, and that the vault suite also reads back across a close and reopen. */
export const CONTRACT_FIXTURE: readonly KeyValueEntry[] = [
  { key: 'top', value: utf8('top level') },
  { key: 'a/b', value: utf8('the prefix key itself') },
  { key: 'a/b/c', value: utf8('child') },
  { key: 'a/b/c/d/e', value: utf8('deep descendant') },
  { key: 'a/b/f', value: new Uint8Array(0) },
  { key: 'a/bc', value: utf8('look-alike sibling') },
  { key: 'a/bc/d', value: utf8('below the look-alike') },
  { key: 'x/a/b/c', value: utf8('same segments, other root') },
  { key: 'bin/all-bytes', value: Uint8Array.from({ length: 256 }, (_, i) => i) },
  { key: 'bin/zeros', value: new Uint8Array(33) },
  { key: 'bin/random', value: randomValue(70_000) },
  { key: 'unicode/ключ/日本語/🙂 with spaces', value: utf8('ünïcödé') },
];

export async function writeFixture(store: KeyValueStore): Promise<void> {
  for (const entry of CONTRACT_FIXTURE) await store.put(entry.key, entry.value);
}

/** Asserts that `store` holds exactly what writeFixture wrote. */
export async function expectFixture(store: KeyValueStore): Promise<void> {
  for (const entry of CONTRACT_FIXTURE) {
    expect(await store.get(entry.key), entry.key).toStrictEqual(entry.value);
  }
  expect(sortByKey(await store.list('a/b'))).toStrictEqual(
    sortByKey(CONTRACT_FIXTURE.filter((entry) => entry.key.startsWith('a/b/'))),
  );
}

export function sortByKey(entries: readonly KeyValueEntry[]): KeyValueEntry[] {
  return [...entries].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** Stores may throw synchronously or reject; either way the call must fail. */
async function expectRefused(call: () => Promise<unknown>): Promise<void> {
  await expect(Promise.resolve().then(call)).rejects.toBeInstanceOf(Error);
}

export function describeKeyValueStoreContract(
  name: string,
  open: () => Promise<OpenedKeyValueStore>,
): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let opened: OpenedKeyValueStore | undefined;

    function store(): KeyValueStore {
      if (opened === undefined) throw new Error('the store is not open');
      return opened.store;
    }

    async function keys(prefix: string): Promise<string[]> {
      return (await store().list(prefix)).map((entry) => entry.key).sort();
    }

    beforeEach(async () => {
      opened = await open();
    });

    afterEach(async () => {
      const current = opened;
      opened = undefined;
      await current?.close();
    });

    it('returns undefined for a missing key', async () => {
      expect(await store().get('missing')).toBeUndefined();
      await store().put('a/b', utf8('v'));
      expect(await store().get('a')).toBeUndefined();
      expect(await store().get('a/b/c')).toBeUndefined();
      expect(await store().get('a/bc')).toBeUndefined();
    });

    it('round-trips arbitrary bytes, including an empty value', async () => {
      await writeFixture(store());
      await expectFixture(store());
    });

    it('stores exactly the bytes of a view into a larger buffer', async () => {
      const backing = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
      await store().put('view', backing.subarray(10, 20));
      expect(await store().get('view')).toStrictEqual(backing.slice(10, 20));
    });

    it('overwrites a value, longer or shorter', async () => {
      await store().put('k', utf8('first value'));
      await store().put('k', utf8('2nd'));
      expect(await store().get('k')).toStrictEqual(utf8('2nd'));
      await store().put('k', new Uint8Array(0));
      expect(await store().get('k')).toStrictEqual(new Uint8Array(0));
      await store().put('k', utf8('a longer value than before'));
      expect(await store().get('k')).toStrictEqual(utf8('a longer value than before'));
      expect(await keys('k')).toStrictEqual([]);
    });

    it('deletes one key, leaving its parent, children and siblings', async () => {
      await store().put('a', utf8('parent'));
      await store().put('a/b', utf8('target'));
      await store().put('a/b/c', utf8('child'));
      await store().put('a/bc', utf8('sibling'));
      await store().delete('a/b');
      expect(await store().get('a/b')).toBeUndefined();
      expect(await store().get('a')).toStrictEqual(utf8('parent'));
      expect(await store().get('a/b/c')).toStrictEqual(utf8('child'));
      expect(await store().get('a/bc')).toStrictEqual(utf8('sibling'));
    });

    it('treats deleting a missing key as a no-op', async () => {
      await store().delete('never/written');
      expect(await store().get('never/written')).toBeUndefined();
    });

    it('applies a batch of puts and deletes', async () => {
      await store().put('keep', utf8('keep'));
      await store().put('gone', utf8('gone'));
      await store().put('changed', utf8('old'));
      await store().batch([
        { type: 'put', key: 'new/one', value: utf8('one') },
        { type: 'put', key: 'new/two', value: new Uint8Array(0) },
        { type: 'put', key: 'changed', value: utf8('new') },
        { type: 'delete', key: 'gone' },
        { type: 'delete', key: 'never/existed' },
      ]);
      expect(await store().get('keep')).toStrictEqual(utf8('keep'));
      expect(await store().get('gone')).toBeUndefined();
      expect(await store().get('changed')).toStrictEqual(utf8('new'));
      expect(await store().get('new/one')).toStrictEqual(utf8('one'));
      expect(await store().get('new/two')).toStrictEqual(new Uint8Array(0));
    });

    it('applies a batch in order, so the last operation on a key wins', async () => {
      await store().put('put-then-delete', utf8('old'));
      await store().batch([
        { type: 'put', key: 'put-then-delete', value: utf8('new') },
        { type: 'delete', key: 'put-then-delete' },
        { type: 'delete', key: 'delete-then-put' },
        { type: 'put', key: 'delete-then-put', value: utf8('there') },
        { type: 'put', key: 'put-twice', value: utf8('first') },
        { type: 'put', key: 'put-twice', value: utf8('second') },
      ]);
      expect(await store().get('put-then-delete')).toBeUndefined();
      expect(await store().get('delete-then-put')).toStrictEqual(utf8('there'));
      expect(await store().get('put-twice')).toStrictEqual(utf8('second'));
    });

    it('accepts an empty batch', async () => {
      await store().batch([]);
      expect(await keys('any')).toStrictEqual([]);
    });

    it.each(INVALID_KEYS)(
      'applies nothing from a batch holding the invalid key %j',
      async (bad) => {
        await store().put('before', utf8('before'));
        await expectRefused(() =>
          store().batch([
            { type: 'put', key: 'batch/first', value: utf8('first') },
            { type: 'delete', key: 'before' },
            { type: 'put', key: bad, value: utf8('bad') },
            { type: 'put', key: 'batch/last', value: utf8('last') },
          ]),
        );
        expect(await store().get('before')).toStrictEqual(utf8('before'));
        expect(await keys('batch')).toStrictEqual([]);
      },
    );

    it('lists every descendant of a prefix with its logical key, and nothing else', async () => {
      await writeFixture(store());
      const listed = await store().list('a/b');
      expect(sortByKey(listed)).toStrictEqual([
        { key: 'a/b/c', value: utf8('child') },
        { key: 'a/b/c/d/e', value: utf8('deep descendant') },
        { key: 'a/b/f', value: new Uint8Array(0) },
      ]);
      expect(await keys('a')).toStrictEqual([
        'a/b',
        'a/b/c',
        'a/b/c/d/e',
        'a/b/f',
        'a/bc',
        'a/bc/d',
      ]);
      expect(await keys('a/bc')).toStrictEqual(['a/bc/d']);
      expect(await keys('x')).toStrictEqual(['x/a/b/c']);
      expect(await keys('unicode/ключ')).toStrictEqual(['unicode/ключ/日本語/🙂 with spaces']);
    });

    it('lists nothing below a leaf, a missing prefix or a partial segment', async () => {
      await writeFixture(store());
      expect(await keys('top')).toStrictEqual([]);
      expect(await keys('a/b/c/d/e')).toStrictEqual([]);
      expect(await keys('missing')).toStrictEqual([]);
      expect(await keys('a/b/c/d/e/f')).toStrictEqual([]);
      expect(await keys('t')).toStrictEqual([]);
      expect(await keys('a/b/c/d')).toStrictEqual(['a/b/c/d/e']);
    });

    it('deletes a subtree and nothing outside it', async () => {
      await writeFixture(store());
      await store().deleteTree('a/b');
      expect(await keys('a/b')).toStrictEqual([]);
      expect(await store().get('a/b/c')).toBeUndefined();
      expect(await store().get('a/b/c/d/e')).toBeUndefined();
      expect(await store().get('a/b/f')).toBeUndefined();
      // The prefix key itself is not below the prefix, and a look-alike sibling is not inside it.
      expect(await store().get('a/b')).toStrictEqual(utf8('the prefix key itself'));
      expect(await keys('a')).toStrictEqual(['a/b', 'a/bc', 'a/bc/d']);
      expect(await keys('x')).toStrictEqual(['x/a/b/c']);
      expect(await store().get('top')).toStrictEqual(utf8('top level'));
      await store().deleteTree('missing/tree');
      expect(await keys('bin')).toHaveLength(3);
    });

    it('stores and returns copies, never shared buffers', async () => {
      const value = utf8('original');
      await store().put('copy/put', value);
      value.fill(0);
      expect(await store().get('copy/put')).toStrictEqual(utf8('original'));

      const batched = utf8('batched');
      await store().batch([{ type: 'put', key: 'copy/batch', value: batched }]);
      batched.fill(0);
      expect(await store().get('copy/batch')).toStrictEqual(utf8('batched'));

      const got = await store().get('copy/put');
      expect(got).toBeInstanceOf(Uint8Array);
      got?.fill(0);
      expect(await store().get('copy/put')).toStrictEqual(utf8('original'));

      for (const entry of await store().list('copy')) entry.value.fill(0);
      expect(await store().get('copy/put')).toStrictEqual(utf8('original'));
      expect(await store().get('copy/batch')).toStrictEqual(utf8('batched'));
    });

    it.each(INVALID_KEYS)('refuses the invalid key %j in every method', async (bad) => {
      await expectRefused(() => store().get(bad));
      await expectRefused(() => store().put(bad, utf8('v')));
      await expectRefused(() => store().delete(bad));
      await expectRefused(() => store().batch([{ type: 'put', key: bad, value: utf8('v') }]));
      await expectRefused(() => store().batch([{ type: 'delete', key: bad }]));
      await expectRefused(() => store().list(bad));
      await expectRefused(() => store().deleteTree(bad));
    });

    // Whatever a store accepts on put it must read back; refusing the key up front is also fine.
    // What is not fine is accepting a key and then reporting it as unreadable or as another key.
    it.each([
      ['a lone high surrogate', 'odd/key-\ud800'],
      ['a lone low surrogate', 'odd/key-\udc00'],
      ['more than 65,535 UTF-8 bytes', `odd/${'k'.repeat(70_000)}`],
    ])('reads back a key holding %s, or refuses it on put', async (_label, key) => {
      let accepted = true;
      try {
        await store().put(key, utf8('value'));
      } catch {
        accepted = false;
      }
      if (accepted) {
        expect(await store().get(key)).toStrictEqual(utf8('value'));
        expect(await store().list('odd')).toStrictEqual([{ key, value: utf8('value') }]);
      } else {
        expect(await keys('odd')).toStrictEqual([]);
      }
    });

    it('handles many concurrent writes', async () => {
      const count = 100;
      await Promise.all(
        Array.from({ length: count }, (_, i) => store().put(`many/${i}`, utf8(`value ${i}`))),
      );
      const listed = await store().list('many');
      expect(listed).toHaveLength(count);
      for (const entry of listed) {
        expect(entry.value).toStrictEqual(utf8(`value ${entry.key.slice('many/'.length)}`));
      }
      await store().deleteTree('many');
      expect(await keys('many')).toStrictEqual([]);
    });
  });
}
