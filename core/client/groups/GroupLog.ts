import { bytesEqual, toHex } from '../../bytes/bytes.js';
import { CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupActionInit } from '../../groups/groupOperations.js';
import { signGroupOperation } from '../../groups/groupOperations.js';
import type { AppliedGroupOperation, GroupOperationView } from '../../groups/GroupRules.js';
import { applyGroupOperation, decodeGroupOperation, epochAt } from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupState } from '../../groups/GroupState.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { GroupPosting } from '../../protocol/gen/kindred_pb.js';
import { RelayErrorCode } from '../../protocol/RelayErrorCode.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { PersonaState } from '../PersonaState.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import { distributionIdFor, openAnyMemberProfile, openReason } from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import { groupKeyScope } from '../deliveryKeyScopes.js';
import { GroupKeys } from './GroupKeys.js';
import { queueDirect } from './GroupPoster.js';
import { topicLogDetail } from './topicLogDetail.js';
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
  /** A `setPolicy` that changed the disappearing timer: the new timer (seconds, 0 off). */
  readonly timer?: number;
  /**
   * A `setPolicy` that changed whether members may write to each other privately (message
   * requests): the new setting.
   */
  readonly privateMessages?: boolean;
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
  /** The epoch secrets we hold. */
  readonly keys: GroupKeys;
  /**
   * Called (after the transaction) when we came to hold a secret we lacked, and when a departure
   * made a rotation due while we are a member. Set by the GroupSession.
   */
  onKeysGained: (groupId: Uint8Array) => void = () => undefined;
  onRotationDue: (groupId: Uint8Array) => void = () => undefined;

  constructor(options: GroupSessionOptions) {
    this.#options = options;
    this.keys = new GroupKeys(options.state);
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
    await state.transact(() => state.groups.require(groupId));
    for (let guard = 0; guard < PAGE_GUARD; guard++) {
      const current = await state.transact(() => state.groups.state(groupId));
      const from = current?.length ?? 0;
      const logKey = await state.transact(() => this.#logKey(groupId, current));
      // No key the relay would take: we wait for a member to send us the current secret.
      if (logKey === undefined) return;
      // Asked for each page: an anonymous connection closes when idle, say while a long page
      // is applied, and this one then opens afresh.
      const connection = await this.#options.anonymous(groupId);
      let page;
      try {
        page = await connection.request(
          {
            case: 'fetchGroupLog',
            value: { groupId, logKey: logKey.key, fromSequence: BigInt(from) },
          },
          'groupLogPage',
        );
      } catch (error) {
        // An invite's read key dies with the invite (used up, expired, revoked): from then on
        // only the group secret a member sends us reads the log.
        if (
          logKey.invite &&
          RelayRejectedError.isRelayRejection(error) &&
          error.relayCode === RelayErrorCode.GroupLogKey
        ) {
          return;
        }
        throw error;
      }
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
            if (!(await this.applyFromRelay(groupId, signed))) return false;
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
      if (from + page.operations.length >= Number(page.logLength)) {
        // An older epoch's key reads up to the rotation that ended its epoch: go on when that
        // rotation's secret has reached us meanwhile.
        const after = await state.transact(() => state.groups.state(groupId));
        if (
          after !== undefined &&
          after.epoch > (current?.epoch ?? 0) &&
          logKey.epoch !== undefined
        ) {
          const next = await state.transact(() => this.keys.current(groupId, after));
          if (next !== undefined) continue;
        }
        return;
      }
    }
  }

  /**
   * The key to read the log with: the current epoch's secret's log key; else the newest older
   * one we hold (the relay serves it up to its epoch's end, which shows us the rotation); else,
   * for a joiner, its invite's read key.
   */
  async #logKey(
    groupId: Uint8Array,
    current: GroupState | undefined,
  ): Promise<{ key: Uint8Array; epoch?: number; invite: boolean } | undefined> {
    if (current !== undefined) {
      for (let epoch = current.epoch; epoch >= 0; epoch--) {
        const secret = await this.keys.secret(groupId, epoch);
        if (secret !== undefined) return { key: secret.logKey(), epoch, invite: false };
      }
    }
    const inviteKey = await this.#state.groups.inviteKey(groupId);
    if (inviteKey !== undefined) {
      return { key: GroupSecret.forInvite(inviteKey).logKey(), invite: true };
    }
    if (current === undefined) {
      const record = await this.#state.groups.require(groupId);
      if (record.secret.length === 32) {
        return { key: GroupSecret.from(record.secret).logKey(), epoch: 0, invite: false };
      }
    }
    return undefined;
  }

  /** Applies one operation from the relay inside a transaction; false when it was refused. */
  async applyFromRelay(groupId: Uint8Array, signed: Uint8Array): Promise<boolean> {
    const groups = this.#state.groups;
    const before = await groups.state(groupId);
    let applied: AppliedGroupOperation;
    try {
      applied = applyGroupOperation(before, signed, this.#state.ruleContext);
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
        // One from beyond our head: those between were kept from us.
        if (sequence !== undefined && sequence > before.length) {
          await this.warnInTransaction(
            groupId,
            'withheld-operations',
            'an operation beyond the end of our log',
          );
          return false;
        }
      }
      await this.warnInTransaction(groupId, 'forged-operation', failure.code);
      return false;
    }
    await this.accept(groupId, before, applied, signed);
    return true;
  }

  /** Stores a checked operation and does what it means for us. Inside a transaction. */
  async accept(
    groupId: Uint8Array,
    before: GroupState | undefined,
    applied: AppliedGroupOperation,
    signed: Uint8Array,
  ): Promise<void> {
    const state = this.#state;
    const after = applied.state;
    await state.groups.appendOperation(groupId, signed, after);
    let record = await state.groups.require(groupId);
    const action = applied.operation.action.case;
    let gained = false;
    if (action === 'rotateEpoch' || action === 'create') {
      gained = await this.keys.settle(groupId, after);
    }
    // Profiles of everyone new (or, when we just came to hold secrets, of everyone still
    // nameless), so we can name them and write to them.
    const secrets = await this.keys.held(groupId, after);
    if (secrets.length > 0) {
      for (const [address, joined] of [...after.members, ...after.requests]) {
        const known =
          before?.members.has(address) === true || before?.requests.has(address) === true;
        if (known && !gained) continue;
        if (known && (await state.groups.peer(groupId, address)) !== undefined) continue;
        await this.#openProfile(groupId, secrets, address, joined);
      }
      // A member showed a new profile (a facilitator credential added or removed).
      const actor = after.members.get(applied.operation.actorAddress);
      if (action === 'setProfile' && actor !== undefined) {
        await this.#openProfile(groupId, secrets, actor.address, actor);
      }
    }
    const me = this.#address;
    const wasIn = before?.members.has(me) === true || before?.requests.has(me) === true;
    const left = [...(before?.members.keys() ?? [])].filter(
      (address) => !after.members.has(address),
    );
    const admitted = after.members.has(me) && before?.members.has(me) !== true;
    // Pairwise request keys follow who is a member and whether the policy allows private
    // messages (core/client/requests/requestKeys.ts): the keeper's next pass brings them in line.
    if (
      action === 'setPolicy' ||
      admitted ||
      left.length > 0 ||
      after.members.size !== (before?.members.size ?? 0)
    ) {
      this.later(() => {
        this.#options.deliveryKeysChanged();
      });
    }
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
    await this.#shareEpochSecret(groupId, before, after);
    const entry = await this.entry(groupId, applied.operation, after);
    this.later(() => {
      this.#options.emit('groupOperation', { groupId: toHex(groupId), entry });
    });
    if (gained)
      this.later(() => {
        this.onKeysGained(groupId);
      });
    if (after.rotationDue && after.members.has(me))
      this.later(() => {
        this.onRotationDue(groupId);
      });
  }

  /**
   * Opens the profiles still nameless after we came to hold secrets: everyone who ever joined, as
   * the log has them (so a member who joined after a rotation also names those gone since), and
   * every profile a member showed since (set_profile), in log order.
   * Inside a transaction.
   */
  async reopenProfiles(groupId: Uint8Array): Promise<void> {
    const groups = this.#state.groups;
    const after = await groups.state(groupId);
    if (after === undefined) return;
    const secrets = await this.keys.held(groupId, after);
    if (secrets.length === 0) return;
    for (const signed of await groups.operations(groupId, 0)) {
      const operation = decodeGroupOperation(signed);
      const action = operation.action;
      let sealedProfile: Uint8Array;
      if (action.case === 'join' || action.case === 'create' || action.case === 'setProfile') {
        sealedProfile = action.value.sealedProfile;
      } else {
        continue;
      }
      // A later profile of a member replaces its earlier one; a join's only fills a gap.
      if (
        action.case !== 'setProfile' &&
        (await groups.peer(groupId, operation.actorAddress)) !== undefined
      )
        continue;
      await this.#openProfile(groupId, secrets, operation.actorAddress, {
        identityKey: operation.actor,
        sealedProfile,
      });
    }
  }

  /** Opens and keeps one member's (or requester's) profile; nameless when it does not open. */
  async #openProfile(
    groupId: Uint8Array,
    secrets: readonly GroupSecret[],
    address: string,
    joined: { readonly identityKey: Uint8Array; readonly sealedProfile: Uint8Array },
  ): Promise<void> {
    try {
      const profile = await openAnyMemberProfile(
        secrets,
        groupId,
        joined.identityKey,
        joined.sealedProfile,
      );
      await this.#state.groups.putPeer(groupId, {
        address,
        identityKey: joined.identityKey,
        ...profile,
      });
    } catch {
      // A profile that does not open leaves the member nameless and unreachable 1:1, no more.
    }
  }

  /**
   * As a moderator (or the owner), queues the current epoch's secret 1:1 to every member admitted
   * by this operation (a join, an approval) who has not been sent it: a joiner holds no secret
   * until one of us sends it. Every moderator's client does this as it applies the operation, so
   * the joiner is served as soon as any moderator is online. Inside a transaction.
   */
  async #shareEpochSecret(
    groupId: Uint8Array,
    before: GroupState | undefined,
    after: GroupState,
  ): Promise<void> {
    const me = after.members.get(this.#address);
    if (me === undefined || ROLE_RANK[me.role] < ROLE_RANK.moderator || before === undefined)
      return;
    const admitted = [...after.members.keys()].filter(
      (address) => address !== this.#address && !before.members.has(address),
    );
    if (admitted.length === 0) return;
    const secret = await this.keys.current(groupId, after);
    if (secret === undefined) return;
    for (const address of admitted) {
      const sent = await this.#state.groups.epochSentTo(groupId, address);
      if (sent !== undefined && sent >= after.epoch) continue;
      if ((await this.#state.groups.peer(groupId, address)) === undefined) continue;
      await queueDirect(this.#state, address, {
        case: 'groupEpochSecret',
        value: { groupId, epoch: BigInt(after.epoch), secret: secret.bytes },
      });
      await this.#state.groups.putEpochSentTo(groupId, address, after.epoch);
    }
    this.later(() => {
      this.#options.kickOutbox();
    });
  }

  /**
   * A fellow member renewed its session with us after restoring a backup (SessionRenewal.ts):
   * its vault may lack epoch secrets made after the backup. As a moderator (or the owner) holding
   * the current epoch's secret, queues it again 1:1 to that member in every active group we
   * share; older ones it recovers from the log (each rotation carries the previous secret sealed
   * under the next). Every moderator who is online does this, as for a joiner. Inside a
   * transaction.
   */
  async resendEpochSecrets(sender: string): Promise<void> {
    const state = this.#state;
    let queued = false;
    for (const record of await state.groups.list()) {
      if (record.status !== 'active') continue;
      const group = await state.groups.state(record.groupId);
      if (group === undefined || !group.members.has(sender) || sender === this.#address) continue;
      const me = group.members.get(this.#address);
      if (me === undefined || ROLE_RANK[me.role] < ROLE_RANK.moderator) continue;
      const secret = await this.keys.current(record.groupId, group);
      if (secret === undefined) continue;
      if ((await state.groups.peer(record.groupId, sender)) === undefined) continue;
      await queueDirect(state, sender, {
        case: 'groupEpochSecret',
        value: { groupId: record.groupId, epoch: BigInt(group.epoch), secret: secret.bytes },
      });
      await state.groups.putEpochSentTo(record.groupId, sender, group.epoch);
      queued = true;
    }
    if (queued) {
      this.later(() => {
        this.#options.kickOutbox();
      });
    }
  }

  async submit(
    groupId: Uint8Array,
    build: (state: GroupState) => GroupActionInit | Promise<GroupActionInit>,
    sealedReason?: (state: GroupState) => Promise<Uint8Array | undefined>,
  ): Promise<void> {
    const state = this.#state;
    await state.transact(() => state.groups.require(groupId));
    for (let attempt = 1; ; attempt++) {
      await this.sync(groupId);
      const current = await state.transact(() => state.groups.requireState(groupId));
      const reason = sealedReason === undefined ? undefined : await sealedReason(current);
      const signed = signGroupOperation(state.persona, {
        groupId,
        state: current,
        action: await build(current),
        ...(reason === undefined ? {} : { sealedReason: reason }),
      });
      // Refused here, with the rules' own code, before the relay sees it.
      applyGroupOperation(current, signed, this.#state.ruleContext);
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
        await this.accept(
          groupId,
          current,
          applyGroupOperation(current, signed, this.#state.ruleContext),
          signed,
        );
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
    member?: string,
  ): Promise<void> {
    const groups = this.#state.groups;
    const record = await groups.require(groupId);
    const warning: GroupWarning = {
      index: record.warningCount + 1,
      kind,
      at: Date.now(),
      detail,
      ...(member === undefined ? {} : { member }),
    };
    await groups.putWarning(groupId, warning);
    await groups.put({ ...record, warningCount: warning.index });
    this.later(() => {
      this.#options.emit('groupWarning', { groupId: toHex(groupId), warning });
    });
  }

  /** How the log shows an operation; `state` (the log at or after it) names its epoch. */
  async entry(
    groupId: Uint8Array,
    operation: GroupOperationView,
    state: GroupState,
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
      case 'rotateEpoch':
        detail = `epoch ${action.value.epoch}${action.value.revokeInvites ? ', invite links reset' : ''}`;
        break;
      case 'scheduleChat':
        detail = `chat ${toHex(action.value.chatId)}`;
        break;
      case 'cancelScheduledChat':
        detail = `chat ${toHex(action.value.chatId)}${action.value.occurrence === 0 ? '' : `, occurrence ${action.value.occurrence}`}`;
        break;
      case 'topicCreate':
      case 'topicUpdate':
      case 'topicMove':
        detail = topicLogDetail(action);
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
      reason: await this.#openReason(groupId, operation, state),
    };
  }

  /** A reason is sealed under the epoch in effect when it was written; '' when none opens. */
  async #openReason(
    groupId: Uint8Array,
    operation: GroupOperationView,
    state: GroupState,
  ): Promise<string> {
    if (operation.sealedReason.length === 0) return '';
    const secrets = await this.keys.held(groupId, state, epochAt(state, operation.sequence));
    for (const secret of secrets) {
      const reason = await openReason(secret, groupId, operation.sealedReason);
      if (reason !== '') return reason;
    }
    return '';
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
