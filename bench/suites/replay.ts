/**
 * Group log replay (issue 10 §2): rebuilding a group's state from its signed log, as the relay
 * does on a cache miss and a client does on first sync, for logs of 10,000 and 100,000
 * operations. Each figure stands next to a baseline measured in the same process and run: the
 * raw cost of checking the same operations' signatures and encoding alone
 * (decodeGroupOperation), which any replay must pay. The ratio is what applying the rules adds on
 * top; it stays near 1 at both sizes when applying is O(1)-ish per operation, and the 100k row's
 * note gives the growth from 10k (10x: linear).
 *
 * The log is the worst case for the old copy-on-write state: the owner deletes a new message id
 * with every operation, so the state's deleted set grows to the log's length. It is signed once
 * per run (each operation on the hash of the one before, not applied while signing) and the 10k
 * log is its first 10,000 operations.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import {
  GroupSecret,
  Persona,
  applyGroupOperation,
  decodeGroupOperation,
  groupOperationHash,
  logKeyHash,
  signGroupOperation,
} from '../../core/index.js';
import type { GroupState } from '../../core/index.js';
import { measurePair } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

export const cases = ['10k', '100k'] as const;
type CaseName = (typeof cases)[number];

const SIZES: Readonly<Record<CaseName, number>> = { '10k': 10_000, '100k': 100_000 };

function signedLog(count: number): Uint8Array[] {
  const owner = Persona.generate('Bench owner');
  const create = signGroupOperation(owner, {
    groupId: new Uint8Array(randomBytes(16)),
    state: undefined,
    action: {
      case: 'create',
      value: {
        logKeyHash: logKeyHash(GroupSecret.generate().logKey()),
        sealedInfo: new Uint8Array(64),
        sealedProfile: new Uint8Array(64),
      },
    },
  });
  const log = [create];
  let state: GroupState = applyGroupOperation(undefined, create).state;
  for (let i = 1; i < count; i++) {
    const signed = signGroupOperation(owner, {
      groupId: state.groupId,
      state,
      action: { case: 'deleteMessage', value: { messageId: new Uint8Array(randomBytes(16)) } },
    });
    log.push(signed);
    // Only the head and length matter to the signer; the replay checks everything.
    state = { ...state, length: i + 1, head: groupOperationHash(signed) };
  }
  return log;
}

function replayMs(log: readonly Uint8Array[]): Promise<number> {
  const started = performance.now();
  let state: GroupState | undefined;
  for (const signed of log) state = applyGroupOperation(state, signed).state;
  const elapsed = performance.now() - started;
  if (state?.length !== log.length || state.deleted.size !== log.length - 1) {
    throw new Error('the replay did not reach the end of the log');
  }
  return Promise.resolve(elapsed);
}

function verifyMs(log: readonly Uint8Array[]): Promise<number> {
  const started = performance.now();
  for (const signed of log) decodeGroupOperation(signed);
  return Promise.resolve(performance.now() - started);
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const wanted = (name: CaseName): boolean => options.cases?.has(name) ?? true;
  const largest = wanted('100k') ? SIZES['100k'] : SIZES['10k'];
  process.stderr.write(`replay: signing a ${largest.toLocaleString('en')}-operation log\n`);
  const log = signedLog(largest);
  const rows: BenchRow[] = [];
  let tenK: number | undefined;
  for (const name of cases) {
    if (!wanted(name)) continue;
    const size = SIZES[name];
    const slice = log.slice(0, size);
    // A 100k replay takes seconds: fewer runs keep the suite bounded.
    const repetitions =
      size > SIZES['10k']
        ? options.quick
          ? 1
          : Math.min(3, options.repetitions)
        : options.repetitions;
    const { kindred, baseline } = await measurePair(
      () => replayMs(slice),
      () => verifyMs(slice),
      repetitions,
    );
    if (name === '10k') tenK = kindred.median;
    const growth =
      name === '100k' && tenK !== undefined
        ? `; ${(kindred.median / tenK).toFixed(1)}x the 10k replay (linear: 10x)`
        : '';
    rows.push({
      name: `replay of a ${size.toLocaleString('en')}-operation log`,
      unit: 'ms',
      kindred,
      baseline,
      ratio: kindred.median / baseline.median,
      note: `baseline: checking the same signatures alone; every operation deletes a new message id${growth}`,
    });
  }
  return rows;
}
