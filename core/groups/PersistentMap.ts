import { randomBytes } from 'node:crypto';

/**
 * Immutable maps and sets keyed by strings, with structural sharing (a hash array mapped trie,
 * 32-way), so that `with` and `without` cost O(log32 n) — at most 7 levels, in practice 2 to 4 —
 * and leave the original as it was. Group states are built from them: replaying a log of n
 * operations then costs O(n), where copying whole maps on each operation cost O(n²) (issue 10 §2).
 *
 * Written here rather than taken from a library: a few hundred lines that only the group rules
 * use, with no dependency to review or keep up to date. Iteration order follows the keys' hashes,
 * not insertion; callers that show a list sort it themselves.
 *
 * Keys are hashed with a seed chosen at random per process, so a client cannot choose message
 * ids or addresses that all land in one bucket (a bucket of equal hashes is searched linearly);
 * the per-group caps bound any bucket besides. Iteration order therefore differs between
 * processes, but the contents never do: the relay and every client reach equal states.
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;
const SEED = randomBytes(4).readUInt32LE(0);

interface Leaf<V> {
  readonly kind: 'leaf';
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}

/** Keys whose 32-bit hashes are all equal. */
interface Collision<V> {
  readonly kind: 'collision';
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}

interface Branch<V> {
  readonly kind: 'branch';
  /** Bit i is set when a slot holds the keys whose hash has i at this level. */
  readonly bitmap: number;
  readonly slots: readonly Slot<V>[];
}

type Slot<V> = Leaf<V> | Collision<V> | Branch<V>;

const EMPTY_BRANCH: Branch<never> = { kind: 'branch', bitmap: 0, slots: [] };

/** An immutable string-keyed map; `with` and `without` return new maps sharing structure. */
export class PersistentMap<V> implements ReadonlyMap<string, V> {
  readonly #root: Branch<V>;
  readonly #size: number;

  private constructor(root: Branch<V>, size: number) {
    this.#root = root;
    this.#size = size;
  }

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(EMPTY_BRANCH, 0);
  }

  /** The same entries as `entries`; a PersistentMap is returned as it is (no copy). */
  static from<V>(
    entries: ReadonlyMap<string, V> | Iterable<readonly [string, V]>,
  ): PersistentMap<V> {
    if (entries instanceof PersistentMap) return entries as PersistentMap<V>;
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.with(key, value);
    return map;
  }

  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return find(this.#root, hashOf(key), key)?.value;
  }

  has(key: string): boolean {
    return find(this.#root, hashOf(key), key) !== undefined;
  }

  /** This map with `key` set to `value`. */
  with(key: string, value: V): PersistentMap<V> {
    const result = insert(this.#root, { kind: 'leaf', hash: hashOf(key), key, value }, 0);
    // A branch stays a branch when something is added to it.
    return new PersistentMap(result.slot as Branch<V>, this.#size + (result.added ? 1 : 0));
  }

  /** This map without `key` (the same map when it has no such key). */
  without(key: string): PersistentMap<V> {
    const result = remove(this.#root, hashOf(key), key, 0);
    if (!result.removed) return this;
    const root = result.slot?.kind === 'branch' ? result.slot : rootOf(result.slot);
    return new PersistentMap(root, this.#size - 1);
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const leaf of leavesOf(this.#root)) callback(leaf.value, leaf.key, this);
  }

  *entries(): MapIterator<[string, V]> {
    for (const leaf of leavesOf(this.#root)) yield [leaf.key, leaf.value];
  }

  *keys(): MapIterator<string> {
    for (const leaf of leavesOf(this.#root)) yield leaf.key;
  }

  *values(): MapIterator<V> {
    for (const leaf of leavesOf(this.#root)) yield leaf.value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  readonly [Symbol.toStringTag] = 'PersistentMap';
}

/** An immutable set of strings; `with` and `without` return new sets sharing structure. */
export class PersistentSet implements ReadonlySet<string> {
  readonly #map: PersistentMap<true>;

  private constructor(map: PersistentMap<true>) {
    this.#map = map;
  }

  static empty(): PersistentSet {
    return new PersistentSet(PersistentMap.empty());
  }

  /** The same members as `values`; a PersistentSet is returned as it is (no copy). */
  static from(values: Iterable<string>): PersistentSet {
    if (values instanceof PersistentSet) return values;
    let set = PersistentSet.empty();
    for (const value of values) set = set.with(value);
    return set;
  }

  get size(): number {
    return this.#map.size;
  }

  has(value: string): boolean {
    return this.#map.has(value);
  }

  with(value: string): PersistentSet {
    return this.#map.has(value) ? this : new PersistentSet(this.#map.with(value, true));
  }

  without(value: string): PersistentSet {
    const map = this.#map.without(value);
    return map === this.#map ? this : new PersistentSet(map);
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void): void {
    for (const value of this.#map.keys()) callback(value, value, this);
  }

  *entries(): SetIterator<[string, string]> {
    for (const value of this.#map.keys()) yield [value, value];
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  *values(): SetIterator<string> {
    yield* this.#map.keys();
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  readonly [Symbol.toStringTag] = 'PersistentSet';
}

/** FNV-1a over UTF-16 code units from a per-process seed, then MurmurHash3's finaliser. */
function hashOf(key: string): number {
  let hash = (0x811c9dc5 ^ SEED) >>> 0;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function bitFor(hash: number, shift: number): number {
  return 1 << ((hash >>> shift) & MASK);
}

/** Slots below the bit in the bitmap: the bit's position in `slots`. */
function positionOf(bitmap: number, bit: number): number {
  let bits = bitmap & (bit - 1);
  bits -= (bits >>> 1) & 0x55555555;
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  bits = (bits + (bits >>> 4)) & 0x0f0f0f0f;
  return Math.imul(bits, 0x01010101) >>> 24;
}

function find<V>(root: Branch<V>, hash: number, key: string): Leaf<V> | undefined {
  let slot: Slot<V> = root;
  for (let shift = 0; ; shift += BITS) {
    switch (slot.kind) {
      case 'leaf':
        return slot.key === key ? slot : undefined;
      case 'collision':
        return slot.hash === hash ? slot.leaves.find((leaf) => leaf.key === key) : undefined;
      case 'branch': {
        const bit = bitFor(hash, shift);
        if ((slot.bitmap & bit) === 0) return undefined;
        const next: Slot<V> | undefined = slot.slots[positionOf(slot.bitmap, bit)];
        if (next === undefined) return undefined;
        slot = next;
        break;
      }
    }
  }
}

function insert<V>(slot: Slot<V>, leaf: Leaf<V>, shift: number): { slot: Slot<V>; added: boolean } {
  switch (slot.kind) {
    case 'leaf':
      if (slot.key === leaf.key) return { slot: leaf, added: false };
      if (slot.hash === leaf.hash) {
        return { slot: { kind: 'collision', hash: leaf.hash, leaves: [slot, leaf] }, added: true };
      }
      return { slot: split(slot, leaf, shift), added: true };
    case 'collision': {
      if (slot.hash !== leaf.hash) return { slot: split(slot, leaf, shift), added: true };
      const at = slot.leaves.findIndex((known) => known.key === leaf.key);
      const leaves = [...slot.leaves];
      if (at === -1) leaves.push(leaf);
      else leaves[at] = leaf;
      return { slot: { kind: 'collision', hash: leaf.hash, leaves }, added: at === -1 };
    }
    case 'branch': {
      const bit = bitFor(leaf.hash, shift);
      const at = positionOf(slot.bitmap, bit);
      const slots = [...slot.slots];
      const child = (slot.bitmap & bit) === 0 ? undefined : slots[at];
      if (child === undefined) {
        slots.splice(at, 0, leaf);
        return { slot: { kind: 'branch', bitmap: slot.bitmap | bit, slots }, added: true };
      }
      const result = insert(child, leaf, shift + BITS);
      slots[at] = result.slot;
      return { slot: { kind: 'branch', bitmap: slot.bitmap, slots }, added: result.added };
    }
  }
}

/** A branch holding `known` (a leaf or a collision) and `leaf`, whose hashes differ. */
function split<V>(known: Leaf<V> | Collision<V>, leaf: Leaf<V>, shift: number): Branch<V> {
  const knownBit = bitFor(known.hash, shift);
  const leafBit = bitFor(leaf.hash, shift);
  if (knownBit === leafBit) {
    return { kind: 'branch', bitmap: knownBit, slots: [split(known, leaf, shift + BITS)] };
  }
  return {
    kind: 'branch',
    bitmap: knownBit | leafBit,
    // Compared as unsigned: bit 31 makes a negative int32.
    slots: knownBit >>> 0 < leafBit >>> 0 ? [known, leaf] : [leaf, known],
  };
}

function remove<V>(
  slot: Slot<V>,
  hash: number,
  key: string,
  shift: number,
): { slot: Slot<V> | undefined; removed: boolean } {
  switch (slot.kind) {
    case 'leaf':
      return slot.key === key ? { slot: undefined, removed: true } : { slot, removed: false };
    case 'collision': {
      if (slot.hash !== hash) return { slot, removed: false };
      const leaves = slot.leaves.filter((leaf) => leaf.key !== key);
      if (leaves.length === slot.leaves.length) return { slot, removed: false };
      const [only] = leaves;
      if (leaves.length === 1 && only !== undefined) return { slot: only, removed: true };
      return { slot: { kind: 'collision', hash, leaves }, removed: true };
    }
    case 'branch': {
      const bit = bitFor(hash, shift);
      if ((slot.bitmap & bit) === 0) return { slot, removed: false };
      const at = positionOf(slot.bitmap, bit);
      const child = slot.slots[at];
      if (child === undefined) return { slot, removed: false };
      const result = remove(child, hash, key, shift + BITS);
      if (!result.removed) return { slot, removed: false };
      const slots = [...slot.slots];
      let bitmap = slot.bitmap;
      if (result.slot === undefined) {
        slots.splice(at, 1);
        bitmap &= ~bit;
      } else {
        slots[at] = result.slot;
      }
      const [only] = slots;
      if (slots.length === 0) return { slot: undefined, removed: true };
      // A lone leaf or collision moves up, so a map's shape depends only on its keys.
      if (slots.length === 1 && only !== undefined && only.kind !== 'branch') {
        return { slot: only, removed: true };
      }
      return { slot: { kind: 'branch', bitmap, slots }, removed: true };
    }
  }
}

/** The root branch of a map whose root collapsed to `slot` (the root is always a branch). */
function rootOf<V>(slot: Leaf<V> | Collision<V> | undefined): Branch<V> {
  if (slot === undefined) return EMPTY_BRANCH;
  return { kind: 'branch', bitmap: bitFor(slot.hash, 0), slots: [slot] };
}

function* leavesOf<V>(root: Branch<V>): Generator<Leaf<V>, void, undefined> {
  const stack: Slot<V>[] = [root];
  for (let slot = stack.pop(); slot !== undefined; slot = stack.pop()) {
    switch (slot.kind) {
      case 'leaf':
        yield slot;
        break;
      case 'collision':
        yield* slot.leaves;
        break;
      case 'branch':
        for (let i = slot.slots.length - 1; i >= 0; i--) {
          const child = slot.slots[i];
          if (child !== undefined) stack.push(child);
        }
        break;
    }
  }
}
