import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { GroupState } from './GroupState.js';
import { PersistentMap, PersistentSet } from './PersistentMap.js';

/**
 * A group state written out, so that the relay (or a client) can start from it and replay only the
 * operations after it instead of the whole log. A snapshot is a cache of what the rules computed,
 * kept by whoever computed it: it is never sent to anyone and never trusted from anyone else.
 *
 * The encoding walks the state generically (bytes, maps, sets, arrays, plain objects, numbers,
 * strings, booleans), so a field added to GroupState is written and read back without a change
 * here. What a state means is another matter: bump GROUP_STATE_SNAPSHOT_FORMAT whenever the rules
 * change what an operation does or a state holds, and every older snapshot is ignored (its group
 * is replayed from operation 0 once, then snapshotted afresh).
 */
export const GROUP_STATE_SNAPSHOT_FORMAT = 2;

interface SnapshotFile {
  readonly format: number;
  readonly state: unknown;
}

const BYTES = '$bytes';
const MAP = '$map';
const SET = '$set';

/** The state as bytes (UTF-8 JSON with tagged bytes, maps and sets). */
export function encodeGroupStateSnapshot(state: GroupState): Uint8Array {
  const file: SnapshotFile = { format: GROUP_STATE_SNAPSHOT_FORMAT, state: encodeValue(state) };
  return new TextEncoder().encode(JSON.stringify(file));
}

/**
 * The state a snapshot holds, or undefined when it was written under another format (replay the
 * log instead). CORE_GROUP_SNAPSHOT_INVALID when the bytes are not a snapshot at all.
 */
export function decodeGroupStateSnapshot(bytes: Uint8Array): GroupState | undefined {
  let file: unknown;
  try {
    file = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalid(error);
  }
  if (!isRecord(file) || typeof file.format !== 'number') throw invalid();
  if (file.format !== GROUP_STATE_SNAPSHOT_FORMAT) return undefined;
  const state = decodeValue(file.state);
  if (
    !isRecord(state) ||
    !(state.groupId instanceof Uint8Array) ||
    !(state.head instanceof Uint8Array) ||
    typeof state.length !== 'number' ||
    !Number.isSafeInteger(state.length) ||
    state.length < 1
  ) {
    throw invalid();
  }
  // Shape checked above as far as the relay relies on it; the rest was written by the same rules.
  return state as unknown as GroupState;
}

function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES]: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value instanceof PersistentMap || value instanceof Map) {
    return {
      [MAP]: [...(value as ReadonlyMap<string, unknown>)].map(([k, v]) => [k, encodeValue(v)]),
    };
  }
  if (value instanceof PersistentSet || value instanceof Set) {
    return { [SET]: [...(value as ReadonlySet<unknown>)] };
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw unsupported('a number that is not finite');
      return value;
    case 'object': {
      if (value === null) throw unsupported('null');
      if (Object.getPrototypeOf(value) !== Object.prototype) throw unsupported('a class instance');
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (key.startsWith('$')) throw unsupported('a field named with $');
        if (item !== undefined) out[key] = encodeValue(item);
      }
      return out;
    }
    default:
      throw unsupported(typeof value);
  }
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (!isRecord(value)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return value;
    }
    throw invalid();
  }
  const bytes = value[BYTES];
  if (typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
  const map = value[MAP];
  if (Array.isArray(map)) {
    let decoded = PersistentMap.empty<unknown>();
    for (const entry of map) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
        throw invalid();
      }
      decoded = decoded.with(entry[0], decodeValue(entry[1]));
    }
    return decoded;
  }
  const set = value[SET];
  if (Array.isArray(set)) {
    let decoded = PersistentSet.empty();
    for (const item of set) {
      if (typeof item !== 'string') throw invalid();
      decoded = decoded.with(item);
    }
    return decoded;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = decodeValue(item);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(cause?: unknown): CoreError {
  return new CoreError(CoreErrorCode.GroupSnapshotInvalid, 'not a group state snapshot', {
    cause,
  });
}

/** A state holding something the format cannot carry: a bug in whoever added the field. */
function unsupported(what: string): CoreError {
  return new CoreError(CoreErrorCode.Internal, `a group state snapshot cannot hold ${what}`);
}
