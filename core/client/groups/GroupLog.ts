import { bytesEqual, toHex } from '../../bytes/bytes.js';
import { CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupActionInit } from '../../groups/groupOperations.js';
import { signGroupOperation } from '../../groups/groupOperations.js';
import type { AppliedGroupOperation, GroupOperationView } from '../../groups/GroupRules.js';
import { applyGroupOperation, decodeGroupOperation } from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupState } from '../../groups/GroupState.js';
import { GroupPosting } from '../../protocol/gen/kindred_pb.js';
import { RelayErrorCode } from '../../protocol/RelayErrorCode.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { PersonaState } from '../PersonaState.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import { distributionIdFor, openMemberProfile, openReason } from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import { groupKeyScope } from '../deliveryKeyScopes.js';
import type { GroupStatus, GroupWarning, GroupWarningKind } from './GroupStore.js';

export interface GroupLogEntry {
  readonly sequence: number;
  readonly at: number;
  readonly actor: string;
  readonly actorPseudonym: string;
  readonly action: string;
  readonly target?: string;
  readonly targetPseudonym?: string;
  readonly detail?: string;
  readonly reason: string;
}

/**
 * How many times an operation is rebuilt on a fresh head before giving up. A crowd opening one
 * invite link at once all race for the same head; each retry waits a random, growing while, so
 * they spread out instead of colliding again.
 */
const SUBMIT_ATTEMPTS = 40;
const RETRY_BASE_MS = 20;
const RETRY_MAX_MS = 1000;
/** Stops a sync that never ends (a relay paging forever). */
const PAGE_GUARD = 100_000;

/**
 * A persona's copy of each group's log: fetching what the relay has beyond it, checking every
 * operation with the same rules the relay runs before storing it, submitting our own, and
 * warning (`groupWarning`) about what a relay must not do. Events that a transaction produces
 * wait (`later`) until it committed (`flushEvents`).
 */
export class GroupLog {
  readonly #options: GroupSessionOptions;
  readonly #pending: (() => void)[] = [];

  constructor(options: GroupSessionOptions) {
    this.#options = options;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  get #address(): string {
    return this.#state.persona.address;
  }

  /** Queues an event until the running transaction has committed. */
  later(emit: () => void): void {
    this.#pending.push(emit);
  }

  flushEvents(): void {
    for (const emit of this.#pending.splice(0)) emit();
  }

  /** Forgets the events of a transaction that failed. */
  dropEvents(): void {
    this.#pending.length = 0;
  }

  /**
   * Fetches the operations the relay has beyond ours and applies each after checking it. An
   * operation the rules refuse stops the sync and is reported: the relay is serving a forged log.
   * The events of what it applied (`groupOperation`, `groupWarning`) are emitted as each page is
   * stored, whoever asked for the sync (an inbound delivery, a post, a user's command); a page
   * that fails to store emits none.
   */
  async sync(groupId: Uint8Array): Promise<void> {
    const state = this.#state;
    const record = await state.transact(() => state.groups.require(groupId));
    const secret = GroupSecret.from(record.secret);
    for (let guard = 0; guard < PAGE_GUARD; guard++) {
      const current = await state.transact(() => state.groups.state(groupId));
      const from = current?.length ?? 0;
      // Asked for each page: an anonymous connection closes when idle, say while a long page
      // is applied, and this one then opens afresh.
      const connection = await this.#options.anonymous(groupId);
      const page = await connection.request(
        {
          case: 'fetchGroupLog',
          value: { groupId, logKey: secret.logKey(), fromSequence: BigInt(from) },
        },
        'groupLogPage',
      );
      if (page.operations.length === 0) {
        if (Number(page.logLength) > from) {
          await this.warn(groupId, 'withheld-operations', 'log page empty before its end');
        }
        return;
      }
      let ok: boolean;
      try {
        ok = await state.transact(async () => {
          for (const signed of page.operations) {
            if (!(await this.applyFromRelay(groupId, secret, signed))) return false;
          }
          return true;
        });
      } catch (error) {
        // Nothing of this page was stored, so none of its events may go out.
        this.dropEvents();
        throw error;
      }
      await state.store.flush();
      // Each event is queued once and leaves the queue as it is emitted: a caller that flushes
      // again afterwards (the inbound drain does) emits nothing twice.
      this.flushEvents();
      if (!ok) return;
      if (from + page.operations.length >= Number(page.logLength)) return;
    }
  }

  /** Applies one operation from the relay inside a transaction; false when it was refused. */
  async applyFromRelay(
    groupId: Uint8Array,
    secret: GroupSecret,
    signed: Uint8Array,
  ): Promise<boolean> {
    const groups = this.#state.groups;
    const before = await groups.state(groupId);
    let applied: AppliedGroupOperation;
    try {
      applied = applyGroupOperation(before, signed);
    } catch (error) {
      const failure = toCoreError(error, CoreErrorCode.GroupOperationInvalid, 'group operation');
      // An operation we already hold, delivered again, is no news; a different one at the same
      // place means the relay shows us a log that differs from what it showed us before.
      if (failure.code === CoreErrorCode.GroupConflict && before !== undefined) {
        const sequence = safeSequence(signed);
        if (sequence !== undefined && sequence < before.length) {
          const ours = await groups.operation(groupId, sequence);
          if (ours !== undefined && bytesEqual(ours, signed)) return true;
          await this.warnInTransaction(groupId, 'fork', 'two operations at one place in the log');
          return false;
        }
      }
      await this.warnInTransaction(groupId, 'forged-operation', failure.code);
      return false;
    }
    await this.accept(groupId, secret, before, applied, signed);
    return true;
  }

  /** Stores a checked operation and does what it means for us. Inside a transaction. */
  async accept(
    groupId: Uint8Array,
    secret: GroupSecret,
    before: GroupState | undefined,
    applied: AppliedGroupOperation,
    signed: Uint8Array,
  ): Promise<void> {
    const state = this.#state;
    const after = applied.state;
    await state.groups.appendOperation(groupId, signed, after);
    let record = await state.groups.require(groupId);
    // Profiles of everyone new, so we can name them and write to them.
    for (const [address, joined] of [...after.members, ...after.requests]) {
      if (before?.members.has(address) === true || before?.requests.has(address) === true) continue;
      try {
        const profile = await openMemberProfile(
          secret,
          groupId,
          joined.identityKey,
          joined.sealedProfile,
        );
        await state.groups.putPeer(groupId, {
          address,
          identityKey: joined.identityKey,
          ...profile,
        });
      } catch {
        // A profile that does not open leaves the member nameless and unreachable 1:1, no more.
      }
    }
    const me = this.#address;
    const wasIn = before?.members.has(me) === true || before?.requests.has(me) === true;
    const left = [...(before?.members.keys() ?? [])].filter(
      (address) => !after.members.has(address),
    );
    const admitted = after.members.has(me) && before?.members.has(me) !== true;
    if (after.members.has(me)) {
      record = { ...record, status: 'active' };
    } else if (after.requests.has(me)) {
      record = { ...record, status: 'requested' };
    } else if (wasIn) {
      const action = applied.operation.action.case;
      const status: GroupStatus = after.banned.has(me)
        ? 'banned'
        : action === 'leave' && applied.operation.actorAddress === me
          ? 'left'
          : 'removed';
      record = { ...record, status };
      // The key our profile gave the members: no longer theirs to write to us with.
      await state.deliveryKeys.revoke(groupKeyScope(groupId));
      this.later(() => {
        this.#options.deliveryKeysChanged();
      });
    }
    // Someone is gone (or we are back after being away): a new sender key, sent only to the
    // members there are now, before our next post.
    if (after.members.has(me) && (left.length > 0 || admitted)) {
      await state.cipher.rotateSenderKey(distributionIdFor(groupId));
      record = { ...record, distributedTo: [] };
    }
    await state.groups.put(record);
    const entry = await this.entry(groupId, secret, applied.operation);
    this.later(() => {
      this.#options.emit('groupOperation', { groupId: toHex(groupId), entry });
    });
  }

  async submit(
    groupId: Uint8Array,
    build: (state: GroupState) => GroupActionInit,
    sealedReason?: Uint8Array,
  ): Promise<void> {
    const state = this.#state;
    const record = await state.transact(() => state.groups.require(groupId));
    const secret = GroupSecret.from(record.secret);
    for (let attempt = 1; ; attempt++) {
      await this.sync(groupId);
      const current = await state.transact(() => state.groups.requireState(groupId));
      const signed = signGroupOperation(state.persona, {
        groupId,
        state: current,
        action: build(current),
        ...(sealedReason === undefined ? {} : { sealedReason }),
      });
      // Refused here, with the rules' own code, before the relay sees it.
      applyGroupOperation(current, signed);
      // On our authenticated connection: the relay takes operations only from their actor's
      // (the operation is signed by us and names the group, so this tells it nothing more).
      const { connection, release } = await this.#options.authenticated();
      try {
        await connection.request(
          { case: 'submitGroupOperation', value: { operation: signed } },
          'groupAppended',
        );
      } catch (error) {
        if (
          attempt < SUBMIT_ATTEMPTS &&
          RelayRejectedError.isRelayRejection(error) &&
          error.relayCode === RelayErrorCode.GroupConflict
        ) {
          await delay(Math.random() * Math.min(RETRY_MAX_MS, RETRY_BASE_MS * attempt));
          continue;
        }
        throw error;
      } finally {
        release();
      }
      await state.transact(async () => {
        const now = await state.groups.requireState(groupId);
        // The relay's own delivery may have applied it already.
        if (now.length > current.length) return;
        await this.accept(groupId, secret, current, applyGroupOperation(current, signed), signed);
      });
      await state.store.flush();
      this.flushEvents();
      return;
    }
  }

  async warn(groupId: Uint8Array, kind: GroupWarningKind, detail: string): Promise<void> {
    await this.#state.transact(() => this.warnInTransaction(groupId, kind, detail));
    await this.#state.store.flush();
    this.flushEvents();
  }

  async warnInTransaction(
    groupId: Uint8Array,
    kind: GroupWarningKind,
    detail: string,
  ): Promise<void> {
    const groups = this.#state.groups;
    const record = await groups.require(groupId);
    const warning: GroupWarning = { index: record.warningCount + 1, kind, at: Date.now(), detail };
    await groups.putWarning(groupId, warning);
    await groups.put({ ...record, warningCount: warning.index });
    this.later(() => {
      this.#options.emit('groupWarning', { groupId: toHex(groupId), warning });
    });
  }

  async entry(
    groupId: Uint8Array,
    secret: GroupSecret,
    operation: GroupOperationView,
  ): Promise<GroupLogEntry> {
    const groups = this.#state.groups;
    const name = async (address: string): Promise<string> =>
      (await groups.peer(groupId, address))?.pseudonym ?? '';
    const action = operation.action;
    let target: string | undefined;
    let detail: string | undefined;
    switch (action.case) {
      case 'approve':
      case 'deny':
      case 'remove':
      case 'ban':
      case 'unban':
      case 'promote':
      case 'demote':
      case 'transferOwnership':
        target = action.value.member;
        break;
      case 'mute':
        target = action.value.member;
        detail =
          action.value.until === 0n
            ? 'unmuted'
            : `until ${new Date(Number(action.value.until)).toISOString()}`;
        break;
      case 'pin':
      case 'unpin':
      case 'deleteMessage':
        detail = toHex(action.value.messageId);
        break;
      case 'setPolicy':
        detail = `approval ${action.value.joinByApproval ? 'on' : 'off'}, slow mode ${action.value.slowModeSeconds}s, posting ${postingFromWire(action.value.posting)}`;
        break;
      case 'invite':
        detail = `${action.value.maxUses} uses until ${new Date(Number(action.value.expiresAt)).toISOString()}`;
        break;
      default:
        break;
    }
    return {
      sequence: operation.sequence,
      at: operation.createdAt,
      actor: operation.actorAddress,
      actorPseudonym: await name(operation.actorAddress),
      action: action.case ?? 'unknown',
      ...(target === undefined ? {} : { target, targetPseudonym: await name(target) }),
      ...(detail === undefined ? {} : { detail }),
      reason: await openReason(secret, groupId, operation.sealedReason),
    };
  }
}

function safeSequence(signed: Uint8Array): number | undefined {
  try {
    return decodeGroupOperation(signed).sequence;
  } catch {
    return undefined;
  }
}

function postingFromWire(posting: GroupPosting): 'everyone' | 'moderators' {
  return posting === GroupPosting.MODERATORS ? 'moderators' : 'everyone';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
