import { fromBinary } from '@bufbuild/protobuf';
import { GROUP_ID_BYTES, RelayErrorCode, personaAddressFor, wire } from '../core/index.js';
import { RelayError } from './RelayError.js';
import type { RelayRateLimits } from './RelayRateLimits.js';
import { groupKey } from './store/groupStream.js';
import type { RelayStore } from './store/RelayStore.js';

export interface GroupWriteGateOptions {
  readonly store: RelayStore;
  readonly limits: RelayRateLimits;
  /** Bytes of one group's operation log; 0: no limit. */
  readonly maxGroupLogBytes: number;
  /** Groups whose log size is remembered (the rest are measured again from the store). */
  readonly maxRememberedGroups: number;
}

/** Gives back the daily budgets a write took, when it was refused after all. */
export type Refund = () => void;

/** Operations read per store call while measuring a group's log. */
const MEASURE_PAGE = 256;

/**
 * Who may write to groups, and how much. Operations pass it after the group rules accepted them
 * and before they are appended, in their group's turn (so a refused operation keeps the rules'
 * own code whoever sends it, and the log size it measures cannot move under it); posts before
 * they are admitted. A stranger's write never reaches the log:
 * - an operation is submitted on its actor's authenticated connection. The operation is signed
 *   by the actor and names the group, so the authenticated link tells the relay nothing the
 *   operation does not; it lets the relay hold the persona to its registration and quotas.
 * - the one exception is a join, which may come on an anonymous connection (older clients send
 *   it there) but only for a persona registered here: a join also needs a valid invite, so it
 *   costs the flooder an invite use, a registration, and a place in the group.
 * - each persona may create `maxGroupsCreatedPerPersonaPerDay` groups and write
 *   `maxGroupBytesPerPersonaPerDay` bytes to groups per day; each group may take
 *   `maxGroupBytesPerGroupPerDay` bytes per day and hold `maxGroupLogBytes` of operation log.
 * It never logs.
 */
export class GroupWriteGate {
  readonly #options: GroupWriteGateOptions;
  /** Operations measured and their bytes, per group; least recently used first. */
  readonly #logSizes = new Map<string, { operations: number; bytes: number }>();

  constructor(options: GroupWriteGateOptions) {
    this.#options = options;
  }

  /**
   * Checks a SignedGroupOperation (already accepted by the group rules) from a connection
   * authenticated as `persona` (undefined when anonymous) and takes its bytes from the daily
   * budgets; throws a RelayError otherwise. The refund gives them back if it is not stored.
   */
  async admitOperation(signed: Uint8Array, persona: string | undefined): Promise<Refund> {
    const { store, limits, maxGroupLogBytes } = this.#options;
    const { groupId, action, actor } = readOperation(signed);
    if (persona === undefined) {
      if (action !== 'join') {
        throw new RelayError(
          RelayErrorCode.AuthRequired,
          "group operations other than joins go on the actor's authenticated connection",
        );
      }
      if ((await store.getPersona(actor)) === undefined) {
        throw new RelayError(
          RelayErrorCode.RegistrationRequired,
          'only a persona registered here may join a group',
        );
      }
    } else if (persona !== actor) {
      throw new RelayError(
        RelayErrorCode.AuthRequired,
        "a group operation goes on its actor's authenticated connection",
      );
    }
    const key = groupKey(groupId);
    if (action !== 'create' && maxGroupLogBytes > 0) {
      const logBytes = await this.#logBytes(key, groupId);
      if (logBytes + signed.length > maxGroupLogBytes) {
        throw new RelayError(
          RelayErrorCode.QuotaExceeded,
          "the group's log is as large as it may be",
        );
      }
    }
    const refunds: Refund[] = [];
    try {
      if (action === 'create') {
        await limits.spend('groupCreates', actor);
        refunds.push(() => void limits.refund('groupCreates', actor));
      }
      refunds.push(await this.#spendBytes(key, actor, signed.length));
    } catch (error) {
      for (const refund of refunds) refund();
      throw error;
    }
    return () => {
      for (const refund of refunds) refund();
    };
  }

  /** Takes a group message's bytes from the poster's and the group's daily budgets. */
  async admitPost(groupId: Uint8Array, bytes: number, persona: string): Promise<Refund> {
    return this.#spendBytes(groupKey(groupId), persona, bytes);
  }

  async #spendBytes(key: string, persona: string, bytes: number): Promise<Refund> {
    const { limits } = this.#options;
    await limits.spend('personaGroupBytes', persona, bytes);
    try {
      await limits.spend('groupBytes', key, bytes);
    } catch (error) {
      await limits.refund('personaGroupBytes', persona, bytes);
      throw error;
    }
    return () => {
      void limits.refund('personaGroupBytes', persona, bytes);
      void limits.refund('groupBytes', key, bytes);
    };
  }

  /**
   * Bytes of the group's stored operation log: remembered, and brought up to date by reading
   * only the operations appended since (by this node or another sharing the store).
   */
  async #logBytes(key: string, groupId: Uint8Array): Promise<number> {
    const { store, maxRememberedGroups } = this.#options;
    const known = this.#logSizes.get(key) ?? { operations: 0, bytes: 0 };
    const length = await store.groupLogLength(groupId);
    let { operations, bytes } = known;
    if (length < operations) ({ operations, bytes } = { operations: 0, bytes: 0 });
    while (operations < length) {
      const page = await store.readGroupOperations(groupId, operations, MEASURE_PAGE);
      if (page.length === 0) break;
      for (const operation of page) bytes += operation.length;
      operations += page.length;
    }
    this.#logSizes.delete(key);
    this.#logSizes.set(key, { operations, bytes });
    while (this.#logSizes.size > maxRememberedGroups) {
      const oldest: string | undefined = this.#logSizes.keys().next().value;
      if (oldest === undefined) break;
      this.#logSizes.delete(oldest);
    }
    return bytes;
  }
}

/** The group, action and actor of an operation, read without checking the rest (the rules do). */
function readOperation(signed: Uint8Array): { groupId: Uint8Array; action: string; actor: string } {
  try {
    const envelope = fromBinary(wire.SignedGroupOperationSchema, signed);
    const operation = fromBinary(wire.GroupOperationSchema, envelope.operation);
    if (operation.groupId.length === GROUP_ID_BYTES && operation.action.case !== undefined) {
      return {
        groupId: operation.groupId,
        action: operation.action.case,
        actor: personaAddressFor(operation.actor),
      };
    }
  } catch (error) {
    throw new RelayError(RelayErrorCode.GroupInvalid, 'malformed group operation', {
      cause: error,
    });
  }
  throw new RelayError(RelayErrorCode.GroupInvalid, 'malformed group operation');
}
