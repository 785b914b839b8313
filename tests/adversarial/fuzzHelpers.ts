// Tools shared by the adversarial suites: fixed fuzz seeds, byte-level mutations of encoded
// messages, protobuf wire-format builders, a relay in its own process whose stderr and memory are
// watched, and a canary conversation between two real clients.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import type { KindredClient } from '../../core/client/index.js';
import { relayCommand } from '../commands/commandPaths.js';

// ---- seeds ---------------------------------------------------------------------------------

/**
 * The seed a suite runs with: fixed, so a failure replays, unless KINDRED_FUZZ_SEED asks for
 * another (to explore, or to replay a seed a failure printed).
 */
export function fuzzSeed(fallback: number): number {
  const override = process.env.KINDRED_FUZZ_SEED;
  if (override === undefined || override === '') return fallback;
  const seed = Number(override);
  if (!Number.isSafeInteger(seed)) throw new Error('KINDRED_FUZZ_SEED must be an integer');
  return seed;
}

/**
 * fast-check options for a suite: the seed and no shrinking against live state. A failure throws
 * one short message naming the seed and the failing run's path (what replays it), instead of
 * printing a counterexample that may be hundreds of frames long.
 */
export function fuzzParameters<T>(seed: number, numRuns: number): fc.Parameters<T> {
  const reporter: fc.Plugin<T> = () => ({
    onAllRunsComplete: (details) => {
      if (!details.failed) return;
      const cause = details.errorInstance;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new Error(
        `fuzz run ${details.numRuns} of ${numRuns} failed (seed ${details.seed}, path ` +
          `"${String(details.counterexamplePath)}"; replay with KINDRED_FUZZ_SEED=${details.seed}): ${reason}`,
        { cause },
      );
    },
  });
  // endOnFailure: replaying shrunk cases against a relay whose state moved on proves nothing.
  return { seed, numRuns, endOnFailure: true, plugins: [reporter] };
}

// ---- numbers -------------------------------------------------------------------------------

/** Nearest-rank percentile (p in 0..100) of `values`; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts by label, printed sorted so reports diff well. */
export class Tally {
  readonly #counts = new Map<string, number>();

  add(label: string, by = 1): void {
    this.#counts.set(label, (this.#counts.get(label) ?? 0) + by);
  }

  get(label: string): number {
    return this.#counts.get(label) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const count of this.#counts.values()) sum += count;
    return sum;
  }

  labels(): string[] {
    return [...this.#counts.keys()].sort();
  }

  toString(): string {
    return this.labels()
      .map((label) => `${label}=${this.get(label)}`)
      .join(' ');
  }
}

// ---- protobuf wire format ------------------------------------------------------------------

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

export function varint(value: number | bigint): Uint8Array {
  let rest = BigInt(value);
  if (rest < 0n) rest = (1n << 64n) + rest;
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return Uint8Array.from(out);
}

export function fieldTag(field: number, wireType: number): Uint8Array {
  return varint(BigInt(field) * 8n + BigInt(wireType & 7));
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concat(fieldTag(field, WireType.LengthDelimited), varint(payload.length), payload);
}

/**
 * `depth` length-delimited fields, each inside the previous one, around `core`. Built outside-in
 * from precomputed sizes, so ten thousand levels cost one allocation, not ten thousand copies.
 */
export function nestedMessages(field: number, depth: number, core: Uint8Array): Uint8Array {
  const tag = fieldTag(field, WireType.LengthDelimited);
  const sizes = [core.length];
  for (let level = 1; level <= depth; level++) {
    const inner = sizes[level - 1] ?? 0;
    sizes.push(tag.length + varint(inner).length + inner);
  }
  const out = new Uint8Array(sizes[depth] ?? core.length);
  let offset = 0;
  for (let level = depth; level >= 1; level--) {
    out.set(tag, offset);
    offset += tag.length;
    const length = varint(sizes[level - 1] ?? 0);
    out.set(length, offset);
    offset += length.length;
  }
  out.set(core, offset);
  return out;
}

/** `depth` start-group tags, then `closed` end-group tags (fewer than depth: unbalanced). */
export function nestedGroups(field: number, depth: number, closed: number): Uint8Array {
  const start = fieldTag(field, WireType.StartGroup);
  const end = fieldTag(field, WireType.EndGroup);
  const out = new Uint8Array(start.length * depth + end.length * closed);
  for (let i = 0; i < depth; i++) out.set(start, i * start.length);
  for (let i = 0; i < closed; i++) out.set(end, depth * start.length + i * end.length);
  return out;
}

function readVarint(bytes: Uint8Array, at: number): { value: bigint; end: number } | undefined {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return undefined;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value, end: at + i + 1 };
  }
  return undefined;
}

/** Where one field of an encoded message sits: its tag, and for length-delimited ones the length. */
export interface FieldSite {
  readonly tagAt: number;
  readonly tagEnd: number;
  readonly field: number;
  readonly wireType: number;
  readonly lengthAt: number | undefined;
  readonly lengthEnd: number | undefined;
  readonly valueEnd: number;
}

/**
 * The fields of an encoded message, and of every length-delimited field that itself parses as a
 * message (down to `maxDepth`), so mutations can aim at real tags and real lengths.
 */
export function fieldSites(bytes: Uint8Array, from = 0, to = bytes.length, depth = 0): FieldSite[] {
  const sites: FieldSite[] = [];
  let at = from;
  while (at < to) {
    const tag = readVarint(bytes, at);
    if (tag === undefined || tag.end > to) return sites;
    const wireType = Number(tag.value & 7n);
    const field = Number(tag.value >> 3n);
    if (field === 0) return sites;
    let valueEnd: number;
    let lengthAt: number | undefined;
    let lengthEnd: number | undefined;
    switch (wireType) {
      case WireType.Varint: {
        const value = readVarint(bytes, tag.end);
        if (value === undefined) return sites;
        valueEnd = value.end;
        break;
      }
      case WireType.Fixed64:
        valueEnd = tag.end + 8;
        break;
      case WireType.Fixed32:
        valueEnd = tag.end + 4;
        break;
      case WireType.LengthDelimited: {
        const length = readVarint(bytes, tag.end);
        if (length === undefined) return sites;
        lengthAt = tag.end;
        lengthEnd = length.end;
        valueEnd = length.end + Number(length.value);
        break;
      }
      default:
        return sites;
    }
    if (valueEnd > to) return sites;
    sites.push({ tagAt: at, tagEnd: tag.end, field, wireType, lengthAt, lengthEnd, valueEnd });
    if (lengthEnd !== undefined && depth < 4 && valueEnd > lengthEnd) {
      const inner = fieldSites(bytes, lengthEnd, valueEnd, depth + 1);
      const last = inner[inner.length - 1];
      // Only a payload that parses to its very end is a message; anything else is plain bytes.
      if (last?.valueEnd === valueEnd) sites.push(...inner);
    }
    at = valueEnd;
  }
  return sites;
}

// ---- byte mutations ------------------------------------------------------------------------

/**
 * One change to an encoded message. Positions are taken modulo the message's length (or its
 * number of fields), so any generated mutation applies to any message.
 */
export type ByteMutation =
  | { readonly kind: 'flipBit'; readonly at: number; readonly bit: number }
  | { readonly kind: 'setByte'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'remove'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'splice'; readonly at: number; readonly donor: number; readonly from: number }
  | { readonly kind: 'lengthLie'; readonly site: number; readonly length: bigint }
  | { readonly kind: 'wireType'; readonly site: number; readonly wireType: number }
  | { readonly kind: 'overlongVarint'; readonly site: number; readonly length: number }
  | {
      readonly kind: 'unknownField';
      readonly atEnd: boolean;
      readonly field: number;
      readonly wireType: number;
      readonly payload: Uint8Array;
    };

/** Lengths a lying length field claims: off by one, zero, and far past any buffer. */
const LYING_LENGTHS = [0n, 1n, 127n, 128n, 0x7fffffffn, 0xffffffffn, 1n << 35n, (1n << 64n) - 1n];

export function byteMutationArbitrary(donors: number): fc.Arbitrary<ByteMutation> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ kind: fc.constant('flipBit' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({
      kind: fc.constant('setByte' as const),
      at,
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 48 }),
    }),
    fc.record({
      kind: fc.constant('remove' as const),
      at,
      length: fc.integer({ min: 1, max: 64 }),
    }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at,
      length: fc.integer({ min: 1, max: 256 }),
    }),
    fc.record({
      kind: fc.constant('splice' as const),
      at,
      donor: fc.integer({ min: 0, max: Math.max(0, donors - 1) }),
      from: fc.nat(),
    }),
    fc.record({
      kind: fc.constant('lengthLie' as const),
      site: fc.nat(),
      length: fc.oneof(fc.constantFrom(...LYING_LENGTHS), fc.bigInt({ min: 0n, max: 4096n })),
    }),
    fc.record({
      kind: fc.constant('wireType' as const),
      site: fc.nat(),
      wireType: fc.integer({ min: 0, max: 7 }),
    }),
    fc.record({
      kind: fc.constant('overlongVarint' as const),
      site: fc.nat(),
      length: fc.integer({ min: 2, max: 11 }),
    }),
    fc.record({
      kind: fc.constant('unknownField' as const),
      atEnd: fc.boolean(),
      field: fc.oneof(fc.integer({ min: 14, max: 2000 }), fc.constant(536_870_911)),
      wireType: fc.constantFrom(0, 1, 2, 5),
      payload: fc.uint8Array({ maxLength: 24 }),
    }),
  );
}

/** Applies `mutations` in order; `donors` feed splices (another valid message's tail). */
export function mutateBytes(
  original: Uint8Array,
  mutations: readonly ByteMutation[],
  donors: readonly Uint8Array[],
): Uint8Array {
  let bytes = original;
  for (const mutation of mutations) bytes = mutateOnce(bytes, mutation, donors);
  return bytes;
}

function mutateOnce(
  bytes: Uint8Array,
  mutation: ByteMutation,
  donors: readonly Uint8Array[],
): Uint8Array {
  const position = (at: number, extra = 0): number => at % (bytes.length + extra);
  switch (mutation.kind) {
    case 'flipBit': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      const at = position(mutation.at);
      out[at] = (out[at] ?? 0) ^ (1 << mutation.bit);
      return out;
    }
    case 'setByte': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[position(mutation.at)] = mutation.value;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, position(mutation.at));
    case 'insert': {
      const at = position(mutation.at, 1);
      return concat(bytes.subarray(0, at), mutation.bytes, bytes.subarray(at));
    }
    case 'remove': {
      if (bytes.length === 0) return bytes;
      const at = position(mutation.at);
      return concat(bytes.subarray(0, at), bytes.subarray(at + mutation.length));
    }
    case 'duplicate': {
      if (bytes.length === 0) return bytes;
      const at = position(mutation.at);
      const piece = bytes.subarray(at, at + mutation.length);
      return concat(bytes.subarray(0, at + piece.length), piece, bytes.subarray(at + piece.length));
    }
    case 'splice': {
      const donor = donors[mutation.donor % Math.max(1, donors.length)] ?? new Uint8Array(0);
      const at = position(mutation.at, 1);
      return concat(bytes.subarray(0, at), donor.subarray(mutation.from % (donor.length + 1)));
    }
    case 'lengthLie': {
      const sites = fieldSites(bytes).filter((site) => site.lengthAt !== undefined);
      const site = sites[mutation.site % Math.max(1, sites.length)];
      if (site?.lengthAt === undefined || site.lengthEnd === undefined) return bytes;
      return concat(
        bytes.subarray(0, site.lengthAt),
        varint(mutation.length),
        bytes.subarray(site.lengthEnd),
      );
    }
    case 'wireType': {
      const sites = fieldSites(bytes);
      const site = sites[mutation.site % Math.max(1, sites.length)];
      if (site === undefined) return bytes;
      return concat(
        bytes.subarray(0, site.tagAt),
        fieldTag(site.field, mutation.wireType),
        bytes.subarray(site.tagEnd),
      );
    }
    case 'overlongVarint': {
      // The same tag spread over `length` bytes: 10 is the most a varint may take, 11 too many.
      const sites = fieldSites(bytes);
      const site = sites[mutation.site % Math.max(1, sites.length)];
      if (site === undefined) return bytes;
      const value = BigInt(site.field) * 8n + BigInt(site.wireType);
      const padded = new Uint8Array(mutation.length);
      for (let i = 0; i < padded.length; i++) {
        const group = Number((value >> BigInt(7 * i)) & 0x7fn);
        padded[i] = i < padded.length - 1 ? group | 0x80 : group;
      }
      return concat(bytes.subarray(0, site.tagAt), padded, bytes.subarray(site.tagEnd));
    }
    case 'unknownField': {
      const field = fieldTag(mutation.field, mutation.wireType);
      let value: Uint8Array;
      switch (mutation.wireType) {
        case WireType.Varint:
          value = varint(BigInt(mutation.payload.length) * 0x1_0000_0001n);
          break;
        case WireType.Fixed64:
          value = concat(mutation.payload, new Uint8Array(8)).subarray(0, 8);
          break;
        case WireType.Fixed32:
          value = concat(mutation.payload, new Uint8Array(4)).subarray(0, 4);
          break;
        default:
          value = concat(varint(mutation.payload.length), mutation.payload);
      }
      return mutation.atEnd ? concat(bytes, field, value) : concat(field, value, bytes);
    }
  }
}

/** Mutations of a text (links, JSON): character-level, the way text gets corrupted. */
export type TextMutation =
  | { readonly kind: 'replace'; readonly at: number; readonly text: string }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'remove'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'swapCase'; readonly at: number }
  | { readonly kind: 'wrap'; readonly before: string; readonly after: string };

/** Characters that matter to the parsers under test: JSON syntax, base64url, escapes, Unicode. */
const INTERESTING_TEXT = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  'null',
  'true',
  '-',
  '_',
  '+',
  '/',
  '=',
  '0',
  '1e308',
  '-0',
  '\\u0000',
  '\ud800',
  '\u0000',
  ' ',
  '\n',
  'A',
  '%',
  '\u202e',
  '__proto__',
  '😀',
];

export function textMutationArbitrary(): fc.Arbitrary<TextMutation> {
  const at = fc.nat();
  const text = fc.oneof(
    fc.constantFrom(...INTERESTING_TEXT),
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at, text }),
    fc.record({ kind: fc.constant('insert' as const), at, text }),
    fc.record({
      kind: fc.constant('remove' as const),
      at,
      length: fc.integer({ min: 1, max: 16 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at,
      length: fc.integer({ min: 1, max: 64 }),
    }),
    fc.record({ kind: fc.constant('swapCase' as const), at }),
    fc.record({
      kind: fc.constant('wrap' as const),
      before: fc.constantFrom('', ' ', '\n', '[', '{"x":', '\ufeff'),
      after: fc.constantFrom('', ' ', '\n', ']', '}', '\u0000'),
    }),
  );
}

export function mutateText(original: string, mutations: readonly TextMutation[]): string {
  let text = original;
  for (const mutation of mutations) {
    const at = (n: number, extra = 0): number => n % (text.length + extra);
    switch (mutation.kind) {
      case 'replace': {
        if (text.length === 0) break;
        const i = at(mutation.at);
        text = text.slice(0, i) + mutation.text + text.slice(i + 1);
        break;
      }
      case 'insert': {
        const i = at(mutation.at, 1);
        text = text.slice(0, i) + mutation.text + text.slice(i);
        break;
      }
      case 'remove': {
        if (text.length === 0) break;
        const i = at(mutation.at);
        text = text.slice(0, i) + text.slice(i + mutation.length);
        break;
      }
      case 'truncate':
        text = text.slice(0, at(mutation.at, 1));
        break;
      case 'duplicate': {
        if (text.length === 0) break;
        const i = at(mutation.at);
        const piece = text.slice(i, i + mutation.length);
        text = text.slice(0, i + piece.length) + piece + text.slice(i + piece.length);
        break;
      }
      case 'swapCase': {
        if (text.length === 0) break;
        const i = at(mutation.at);
        const char = text.charAt(i);
        const swapped = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
        text = text.slice(0, i) + swapped + text.slice(i + 1);
        break;
      }
      case 'wrap':
        text = mutation.before + text + mutation.after;
        break;
    }
  }
  return text;
}

/**
 * Values that break JSON readers that trust a field's type: wrong types, extremes, deep nesting,
 * prototype keys. Used to replace one field of a valid record.
 */
export function hostileJsonValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      -0,
      1.5,
      1e308,
      -1e308,
      Number.MAX_SAFE_INTEGER + 2,
      '',
      'AAAA',
      'not base64!',
      '__proto__',
      [],
      {},
      [null],
      { __proto__: null },
      JSON.parse('{"__proto__":{"polluted":1}}') as unknown,
    ),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)), {
      maxLength: 4,
    }),
    fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(fc.string({ maxLength: 5 }), fc.integer()),
      {
        maxKeys: 3,
      },
    ),
    fc.jsonValue({ maxDepth: 3 }),
    fc
      .tuple(
        fc.boolean(),
        // Mostly modest; now and then deep enough that a recursive reader would overflow.
        fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 1, max: 500 }) },
          { weight: 1, arbitrary: fc.integer({ min: 500, max: 100_000 }) },
        ),
      )
      .map(([arrays, depth]) => new DeepNesting(arrays ? 'array' : 'object', depth)),
  );
}

/**
 * JSON nested `depth` levels deep. Kept as a marker rather than built, because JSON.stringify
 * recurses and overflows the stack long before JSON.parse (which does not) has any trouble;
 * {@link jsonText} writes it out as text.
 */
export class DeepNesting {
  constructor(
    readonly shape: 'array' | 'object',
    readonly depth: number,
  ) {}

  get text(): string {
    return this.shape === 'array'
      ? `${'['.repeat(this.depth)}0${']'.repeat(this.depth)}`
      : `${'{"a":'.repeat(this.depth)}0${'}'.repeat(this.depth)}`;
  }
}

/** JSON.stringify that writes DeepNesting markers out as deeply nested JSON text. */
export function jsonText(value: unknown): string {
  const deep: DeepNesting[] = [];
  // JSON.stringify answers undefined for undefined, whatever its declared type says.
  const text = JSON.stringify(value, (_key, field: unknown) => {
    if (!(field instanceof DeepNesting)) return field;
    deep.push(field);
    return `\u0000deep${deep.length - 1}\u0000`;
  }) as string | undefined;
  if (text === undefined) return 'null';
  return text.replace(/"\\u0000deep(\d+)\\u0000"/g, (_match, index: string) => {
    return deep[Number(index)]?.text ?? 'null';
  });
}

// ---- a relay in its own process ------------------------------------------------------------

/** The run's bundle of bin/kindred-server.js (see tests/commands/buildCommands.ts). */
const SERVER_BIN = relayCommand();

export interface RelayExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * bin/kindred-server.js as an operator runs it, with its stderr read line by line: every JSON log
 * line is counted by event and level, and every line that is not JSON (a stack trace, a Node
 * warning, an unhandled rejection) is kept, since a healthy relay writes none.
 */
export class RelayChild {
  readonly url: string;
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #exited: Promise<RelayExit>;
  #exit: RelayExit | undefined;
  /** Log lines by `event` (or `level:N` for lines without one). */
  readonly events = new Tally();
  /** Lines at level error or fatal (50, 60), kept whole. */
  readonly errorLines: string[] = [];
  /** Lines that are not JSON log lines. */
  readonly strayLines: string[] = [];

  private constructor(child: ChildProcess, url: string, exited: Promise<RelayExit>) {
    this.#child = child;
    this.url = url;
    this.port = Number(new URL(url).port);
    this.#exited = exited;
    void exited.then((exit) => {
      this.#exit = exit;
    });
  }

  static async spawn(dataDir: string, args: readonly string[]): Promise<RelayChild> {
    const child = spawn(
      process.execPath,
      [SERVER_BIN, '--data', dataDir, '--port', '0', '--host', '127.0.0.1', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<RelayExit>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
    const pending: string[] = [];
    // Lines wait here until the relay object exists, then go to it.
    let onLine = (line: string): void => {
      pending.push(line);
    };
    createInterface({ input: child.stderr }).on('line', (line) => {
      onLine(line);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`relay did not start: ${pending.join('\n')}`));
      }, 30_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        try {
          const event = JSON.parse(line) as { event?: string; url?: string };
          if (event.event === 'listening' && typeof event.url === 'string') {
            clearTimeout(timer);
            resolve(event.url);
          }
        } catch {
          // Not a JSON line: ignore.
        }
      });
      void exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`relay exited with ${String(exit.code)}: ${pending.join('\n')}`));
      });
    });
    const relay = new RelayChild(child, url, exited);
    for (const line of pending.splice(0)) relay.#onStderr(line);
    onLine = (line) => {
      relay.#onStderr(line);
    };
    return relay;
  }

  get pid(): number {
    const pid = this.#child.pid;
    if (pid === undefined) throw new Error('relay child has no pid');
    return pid;
  }

  /** Undefined while the process runs; how it ended otherwise. */
  get exit(): RelayExit | undefined {
    return this.#exit;
  }

  /** Resident set size of the relay process, from /proc (Linux). */
  async rssBytes(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    if (match?.[1] === undefined) throw new Error('no VmRSS in /proc status');
    return Number(match[1]) * 1024;
  }

  /** CPU time (user + system) the relay process has used so far, in seconds, from /proc. */
  async cpuSeconds(): Promise<number> {
    const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  }

  /** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 15_000): Promise<RelayExit> {
    if (this.#exit !== undefined) return this.#exit;
    this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.#exited, killed]);
    clearTimeout(timer);
    return this.#exited;
  }

  #onStderr(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.strayLines.push(line);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) {
      this.strayLines.push(line);
      return;
    }
    const { event, level } = parsed as { event?: unknown; level?: unknown };
    this.events.add(typeof event === 'string' ? event : `level:${String(level)}`);
    if (typeof level === 'number' && level >= 50) this.errorLines.push(line);
  }
}

// ---- the canary conversation -----------------------------------------------------------------

export interface CanaryReport {
  readonly sent: number;
  readonly received: number;
  readonly duplicates: number;
  readonly strangers: number;
  readonly sendErrors: number;
  readonly missing: readonly number[];
  /** Send-to-receive latencies in ms, by the phase in which each message was sent. */
  readonly latencies: ReadonlyMap<string, readonly number[]>;
}

/**
 * Two real clients writing to each other, one message every `intervalMs`, alternating direction.
 * Each message's latency (from `send` to the other side's `message` event) is filed under the
 * phase current when it was sent, so a baseline measured before the storm compares with the
 * storm itself.
 */
export class Canary {
  readonly #a: KindredClient;
  readonly #b: KindredClient;
  readonly #intervalMs: number;
  readonly #sentAt = new Map<number, { at: number; phase: string }>();
  readonly #received = new Set<number>();
  readonly #latencies = new Map<string, number[]>();
  readonly #unsubscribe: (() => void)[] = [];
  #phase = 'baseline';
  #next = 0;
  #duplicates = 0;
  #strangers = 0;
  #sendErrors = 0;
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(a: KindredClient, b: KindredClient, intervalMs = 200) {
    this.#a = a;
    this.#b = b;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    for (const client of [this.#a, this.#b]) {
      this.#unsubscribe.push(
        client.on('message', ({ message }) => {
          this.#onMessage(message.text);
        }),
      );
    }
    this.#loop = this.#run();
  }

  /** Files messages sent from now on under `phase`. */
  phase(phase: string): void {
    this.#phase = phase;
  }

  get sent(): number {
    return this.#next;
  }

  get received(): number {
    return this.#received.size;
  }

  latencies(phase: string): readonly number[] {
    return this.#latencies.get(phase) ?? [];
  }

  /** Stops sending, waits up to `timeoutMs` for every message to arrive, and reports. */
  async stop(timeoutMs: number): Promise<CanaryReport> {
    this.#stopped = true;
    await this.#loop;
    await Promise.allSettled([this.#a.flushOutbox(timeoutMs), this.#b.flushOutbox(timeoutMs)]);
    const deadline = Date.now() + timeoutMs;
    while (this.#received.size < this.#next && Date.now() < deadline) await sleep(50);
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    const missing: number[] = [];
    for (let n = 0; n < this.#next; n++) if (!this.#received.has(n)) missing.push(n);
    return {
      sent: this.#next,
      received: this.#received.size,
      duplicates: this.#duplicates,
      strangers: this.#strangers,
      sendErrors: this.#sendErrors,
      missing,
      latencies: this.#latencies,
    };
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const n = this.#next++;
      const [from, to] = n % 2 === 0 ? [this.#a, this.#b] : [this.#b, this.#a];
      this.#sentAt.set(n, { at: Date.now(), phase: this.#phase });
      // Not awaited: a slow send must not slow the rhythm (that would hide latency).
      from.send(to.address, `canary ${n}`).catch(() => {
        this.#sendErrors += 1;
      });
      await sleep(this.#intervalMs);
    }
  }

  #onMessage(text: string): void {
    const match = /^canary (\d+)$/.exec(text);
    const n = match?.[1] === undefined ? undefined : Number(match[1]);
    const sent = n === undefined ? undefined : this.#sentAt.get(n);
    if (n === undefined || sent === undefined) {
      this.#strangers += 1;
      return;
    }
    if (this.#received.has(n)) {
      this.#duplicates += 1;
      return;
    }
    this.#received.add(n);
    let bucket = this.#latencies.get(sent.phase);
    if (bucket === undefined) {
      bucket = [];
      this.#latencies.set(sent.phase, bucket);
    }
    bucket.push(Date.now() - sent.at);
  }
}
