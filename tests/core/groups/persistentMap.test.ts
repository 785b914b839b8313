import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PersistentMap, PersistentSet } from '../../../core/index.js';

type Step = { readonly kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string };

/** Few distinct keys, so that sets and deletes hit the same keys often. */
const key = fc.stringMatching(/^[a-f0-9]{1,3}$/);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
);

function sorted<T>(values: Iterable<T>): T[] {
  return [...values].sort();
}

describe('PersistentMap', () => {
  it('behaves as a Map under any sequence of sets and deletes, and never changes an old version', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const native = new Map<string, number>();
        let map = PersistentMap.empty<number>();
        const versions: { map: PersistentMap<number>; entries: [string, number][] }[] = [];
        for (const next of steps) {
          if (next.kind === 'set') {
            native.set(next.key, next.value);
            map = map.with(next.key, next.value);
          } else {
            native.delete(next.key);
            map = map.without(next.key);
          }
          versions.push({ map, entries: sorted(native.entries()) });
          expect(map.size).toBe(native.size);
          expect(map.get(next.key)).toBe(native.get(next.key));
          expect(map.has(next.key)).toBe(native.has(next.key));
        }
        for (const version of versions) {
          expect(sorted(version.map.entries())).toStrictEqual(version.entries);
          expect(sorted(version.map)).toStrictEqual(version.entries);
          expect(sorted(version.map.keys())).toStrictEqual(version.entries.map(([k]) => k));
          expect(version.map.size).toBe(version.entries.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('holds 100,000 keys and finds each of them', () => {
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 100_000; i++) map = map.with(`k${i}`, i);
    expect(map.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(map.get(`k${i}`)).toBe(i);
    expect(map.get('k100000')).toBeUndefined();
    let emptied = map;
    for (let i = 0; i < 100_000; i++) emptied = emptied.without(`k${i}`);
    expect(emptied.size).toBe(0);
    expect([...emptied]).toStrictEqual([]);
    expect(map.size).toBe(100_000);
  });

  it('returns itself for a delete of an absent key, and copies a plain Map once', () => {
    const map = PersistentMap.from(new Map([['a', 1]]));
    expect(map.without('b')).toBe(map);
    expect(PersistentMap.from(map)).toBe(map);
    expect(map.get('a')).toBe(1);
  });
});

describe('PersistentSet', () => {
  it('behaves as a Set and leaves earlier versions as they were', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const native = new Set<string>();
        let set = PersistentSet.empty();
        const versions: { set: PersistentSet; values: string[] }[] = [];
        for (const next of steps) {
          if (next.kind === 'set') {
            native.add(next.key);
            set = set.with(next.key);
          } else {
            native.delete(next.key);
            set = set.without(next.key);
          }
          versions.push({ set, values: sorted(native) });
          expect(set.has(next.key)).toBe(native.has(next.key));
        }
        for (const version of versions) {
          expect(sorted(version.set)).toStrictEqual(version.values);
          expect(version.set.size).toBe(version.values.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
