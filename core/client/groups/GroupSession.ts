import { fromBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { checkTimerSeconds } from '../disappearing/timers.js';
import { ownedBytes, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupInviteLinkData } from '../../groups/GroupInviteLink.js';
import { createGroupInviteLink } from '../../groups/GroupInviteLink.js';
import type { GroupActionInit } from '../../groups/groupOperations.js';
import {
  generateInviteKeyPair,
  signGroupJoin,
  signGroupOperation,
} from '../../groups/groupOperations.js';
import {
  GROUP_INVITE_ID_BYTES,
  MAX_INVITE_USES,
  applyGroupOperation,
  logKeyHash,
} from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupPostingRule, GroupState } from '../../groups/GroupState.js';
import { GROUP_ID_BYTES } from '../../protocol/frames.js';
import type { GroupDeliver } from '../../protocol/gen/kindred_pb.js';
import { SignedListingSchema } from '../../protocol/gen/kindred_pb.js';
import type { Persona } from '../../persona/Persona.js';
import { GroupPosting } from '../../protocol/gen/kindred_pb.js';
import type { ReceivedContent } from '../contentCodec.js';
import type { InboundGroupHandler } from '../direct/DirectInbound.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import { toCoreError } from '../../signal/signalErrors.js';
import { currentSecret, isGroupRefusal, openInfo, resolveGroup } from './groupAccess.js';
import type { GroupInfoData } from './groupCodec.js';
import {
  checkGroupInfo,
  checkIntroduction,
  sealGroupInfo,
  sealJoinProfile,
  sealMemberProfile,
  sealReason,
} from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import { GroupEpochs } from './GroupEpochs.js';
import { GroupInbound } from './GroupInbound.js';
import { GroupLog } from './GroupLog.js';
import { GroupMessaging } from './GroupMessaging.js';
import type { GroupPreview } from './GroupPreview.js';
import { previewGroupInvite } from './GroupPreview.js';
import { GroupPoster } from './GroupPoster.js';
import type { GroupSummary } from './GroupReading.js';
import { GroupReading } from './GroupReading.js';
import { GroupSchedules } from './GroupSchedules.js';
import { GroupTopics } from './GroupTopics.js';
import type { GroupRecord, GroupStatus } from './GroupStore.js';

export type { EmitGroupEvent, GroupEvents, GroupSessionOptions } from './groupContext.js';
export type { GroupLogEntry } from './GroupLog.js';

export interface GroupCreateOptions extends GroupInfoData {
  readonly joinByApproval?: boolean;
  readonly slowModeSeconds?: number;
  readonly posting?: GroupPostingRule;
}

/**
 * One persona's groups: creating and joining them, every moderator action as a signed operation,
 * sending with sender keys, and checking everything the relay delivers against the log. The
 * work is done by its parts: the GroupLog (the verified log, warnings), the GroupInbound (what
 * the relay delivers), the GroupPoster (sending our outbox), the GroupEpochs (key rotation), and
 * two the rest of the client calls directly: `reading` (GroupReading: what is shown) and
 * `messaging` (GroupMessaging: our messages). This class holds the membership itself: create,
 * join, invite, every signed operation, forgetting.
 *
 * Trust: the relay is never believed. Every operation is checked with the same rules the relay
 * runs (`applyGroupOperation`), every message's sender must be a member of the verified state,
 * and every message carries its sender's log length and head, so a relay that withholds
 * operations or shows members different logs is noticed and reported as a `groupWarning`.
 */
export class GroupSession implements InboundGroupHandler {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;
  readonly #inbound: GroupInbound;
  readonly #poster: GroupPoster;

  readonly #epochs: GroupEpochs;
  /** What the groups show: summaries, members, messages, the log, reports. */
  readonly reading: GroupReading;
  /** Our messages: texts, reactions, edits, deletions, reports. */
  readonly messaging: GroupMessaging;
  /** Scheduled host-led chats: scheduling them, their prompts, answers' tags, transcripts. */
  readonly schedules: GroupSchedules;
  /** The group's topics: the list with unread counts, and the topic operations. */
  readonly topics: GroupTopics;

  constructor(options: GroupSessionOptions) {
    this.#options = options;
    this.#log = new GroupLog(options);
    this.#inbound = new GroupInbound(options, this.#log);
    this.#poster = new GroupPoster(options, this.#log);
    this.#epochs = new GroupEpochs(options, {
      log: this.#log,
      inbound: this.#inbound,
      poster: this.#poster,
    });
    this.reading = new GroupReading(options, this.#log);
    this.messaging = new GroupMessaging(options, this.#poster);
    this.schedules = new GroupSchedules(options, this.#log, this.reading);
    this.topics = new GroupTopics(options, this.#log);
    this.#log.onRotationDue = (groupId) => {
      this.#epochs.schedule(groupId);
    };
    this.#log.onKeysGained = (groupId) => {
      void this.#epochs.afterKeysGained(groupId).catch((error: unknown) => {
        this.#options.reportError(toCoreError(error, CoreErrorCode.Internal, 'group key'));
      });
    };
  }

  /** A stream entry the relay pushed; processed in order, acknowledged once stored. */
  enqueue(deliver: GroupDeliver, connection: RelayConnection): void {
    this.#inbound.enqueue(deliver, connection);
  }

  /** When the last stream entry arrived or finished processing (ms since the epoch). */
  get lastActivity(): number {
    return this.#inbound.lastActivity;
  }

  get isIdle(): boolean {
    return this.#inbound.isIdle && this.#poster.isIdle;
  }

  async whenIdle(): Promise<void> {
    while (!this.isIdle) {
      await this.#inbound.whenIdle();
      await this.#poster.whenIdle();
    }
  }

  handleDirect(sender: string, content: ReceivedContent): Promise<boolean> {
    return this.#inbound.handleDirect(sender, content);
  }

  memberRenewed(sender: string): Promise<void> {
    return this.#inbound.memberRenewed(sender);
  }

  afterDirect(): void {
    this.#inbound.afterDirect();
  }

  /** Starts posting the group outboxes (or looks again when already posting). */
  kick(): void {
    this.#poster.kick();
  }

  /** See GroupPoster.whenPosted. */
  whenPosted(timeoutMs: number, keyCanArrive: boolean): Promise<void> {
    return this.#poster.whenPosted(timeoutMs, keyCanArrive);
  }

  /** Fetches the operations the relay has beyond ours, checking each. */
  syncLog(groupId: Uint8Array): Promise<void> {
    return this.#log.sync(groupId);
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  // ---------------------------------------------------------------------------------------------
  // Creating and joining

  async create(options: GroupCreateOptions): Promise<GroupSummary> {
    const info = checkGroupInfo(options);
    const slowModeSeconds = options.slowModeSeconds ?? 0;
    if (!Number.isInteger(slowModeSeconds) || slowModeSeconds < 0 || slowModeSeconds > 86_400) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'slow mode is 0 to 86400 seconds');
    }
    const groupId = ownedBytes(randomBytes(GROUP_ID_BYTES));
    const secret = GroupSecret.generate();
    const persona = this.#state.persona;
    const signed = signGroupOperation(persona, {
      groupId,
      state: undefined,
      action: {
        case: 'create',
        value: {
          logKeyHash: logKeyHash(secret.logKey()),
          sealedInfo: await sealGroupInfo(secret, groupId, info),
          joinKey: (await secret.joinKeyPair()).publicKey,
          policy: {
            joinByApproval: options.joinByApproval ?? false,
            slowModeSeconds,
            posting: postingToWire(options.posting ?? 'everyone'),
          },
          sealedProfile: await this.#sealOwnProfile(secret, groupId),
        },
      },
    });
    const applied = applyGroupOperation(undefined, signed, this.#state.ruleContext);
    // Creating a group needs a registered persona: the relay takes it only on the creator's
    // authenticated connection.
    const { connection, release } = await this.#options.authenticated();
    try {
      await connection.request(
        { case: 'submitGroupOperation', value: { operation: signed } },
        'groupAppended',
      );
    } finally {
      release();
    }
    await this.#state.transact(async () => {
      await this.#state.groups.put(newRecord(groupId, secret.bytes, 'active'));
      await this.#state.groups.putEpochSecret(groupId, 0, secret.bytes);
      await this.#log.accept(groupId, undefined, applied, signed);
    });
    await this.#state.store.flush();
    this.#log.flushEvents();
    return this.reading.summary(toHex(groupId));
  }

  /**
   * Asks the relay to list a group in its directory (docs/directory.md): `sign` makes the signed
   * listing as this persona for the relay's id and address, and it goes as RequestListing on this persona's
   * authenticated connection, where the relay checks that the signer owns the group.
   */
  async submitListing(
    sign: (persona: Persona, relayId: Uint8Array, relayUrl: string) => Uint8Array,
  ): Promise<void> {
    const { connection, release } = await this.#options.authenticated();
    try {
      const signed = sign(
        this.#state.persona,
        connection.challenge.relayId,
        this.#options.relayUrl,
      );
      await connection.request(
        { case: 'requestListing', value: { listing: fromBinary(SignedListingSchema, signed) } },
        'ok',
      );
    } finally {
      release();
    }
  }

  /**
   * Joins with an invite link (already parsed and checked against our relay by the caller). The
   * link holds no group secret: the invite's read key shows us the log (while the invite is
   * live), our profile is sealed to the current epoch's join key, and a moderator's client sends
   * us the group secret once the join (or its approval) is in the log. Until then the group waits
   * for its key (`details().waitingForKey`).
   */
  async join(
    link: GroupInviteLinkData,
    options: { readonly introduction?: string } = {},
  ): Promise<GroupSummary> {
    const introduction = checkIntroduction(options.introduction ?? '');
    const groupId = link.groupId;
    const existing = await this.#state.transact(() => this.#state.groups.get(groupId));
    if (
      existing !== undefined &&
      (existing.status === 'active' || existing.status === 'requested')
    ) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'this persona is already in that group');
    }
    await this.#state.transact(async () => {
      if (existing === undefined)
        await this.#state.groups.put(newRecord(groupId, new Uint8Array(0), 'requested'));
      await this.#state.groups.putInviteKey(groupId, link.invitePrivateKey);
    });
    const persona = this.#state.persona;
    const inviteSignature = signGroupJoin(
      link.invitePrivateKey,
      groupId,
      link.inviteId,
      persona.identityPublicKey,
    );
    // Before any transaction: making the membership key opens the vault's own (see #ownProfile).
    let profile: { pseudonym: string; accessKey: Uint8Array; profileKey: Uint8Array };
    try {
      profile = await this.#ownProfile(groupId);
      await this.syncLog(groupId);
      const seen = await this.#state.transact(() => this.#state.groups.state(groupId));
      if (seen === undefined) {
        // The relay showed the invite's read key nothing: the invite is used up, expired or
        // revoked (or never was).
        throw new CoreError(
          CoreErrorCode.GroupInviteInvalid,
          'the invite no longer opens the group (used up, expired or revoked)',
        );
      }
      await this.#log.submit(groupId, async (state) => {
        const joinKey = state.epochs[state.epoch]?.joinKey ?? new Uint8Array(0);
        if (joinKey.length === 0) {
          throw new CoreError(
            CoreErrorCode.GroupInviteInvalid,
            'this group takes new members only after a moderator rotates its key',
          );
        }
        const sealedProfile = await sealJoinProfile(
          joinKey,
          groupId,
          persona.identityPublicKey,
          introduction === '' ? profile : { ...profile, introduction },
        );
        return {
          case: 'join',
          value: { inviteId: link.inviteId, inviteSignature, sealedProfile },
        };
      });
    } catch (error) {
      // Refused for sure (by our rules or the relay's): forget the group, so a later good link
      // can be used. A lost answer is not a refusal: the join may have landed, and the next sync
      // tells; the record stays.
      if (existing === undefined && isGroupRefusal(error)) {
        await this.#state.transact(() => this.#state.groups.deleteGroup(groupId));
        await this.#state.store.flush();
        await this.#options.retireMembershipKey(groupId);
      }
      throw error;
    }
    // Our own profile is sealed to the join key, which we cannot open until the group key
    // comes: we know it anyway.
    await this.#state.transact(() =>
      this.#state.groups.putPeer(groupId, {
        address: persona.address,
        identityKey: persona.identityPublicKey,
        ...profile,
      }),
    );
    await this.#state.store.flush();
    return this.reading.summary(toHex(groupId));
  }

  /**
   * What the link shows before joining (name, description, rules, whether a moderator approves),
   * read with the invite's read key on an anonymous connection of its own; stores nothing.
   */
  preview(link: GroupInviteLinkData): Promise<GroupPreview> {
    return previewGroupInvite(
      () => this.#options.anonymous(link.groupId),
      link,
      this.#state.ruleContext,
    );
  }

  /** A signed invite link; the invite itself is registered in the log first. */
  async invite(groupRef: string, options: { maxUses: number; expiresAt: number }): Promise<string> {
    if (
      !Number.isInteger(options.maxUses) ||
      options.maxUses < 1 ||
      options.maxUses > MAX_INVITE_USES
    ) {
      throw new CoreError(CoreErrorCode.InvalidInput, `an invite has 1 to ${MAX_INVITE_USES} uses`);
    }
    if (!Number.isSafeInteger(options.expiresAt) || options.expiresAt <= Date.now()) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'an invite expires in the future');
    }
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const key = generateInviteKeyPair();
    const inviteId = ownedBytes(randomBytes(GROUP_INVITE_ID_BYTES));
    // The invite's own secret: its log key is the read key the relay keeps the hash of, and it
    // seals the welcome (the group's info) the joiner is shown. It opens nothing else.
    const inviteSecret = GroupSecret.forInvite(key.privateKey);
    await this.#log.submit(groupId, async (state) => ({
      case: 'invite',
      value: {
        inviteId,
        inviteKey: key.publicKey,
        expiresAt: BigInt(options.expiresAt),
        maxUses: options.maxUses,
        readKeyHash: logKeyHash(inviteSecret.logKey()),
        sealedWelcome: await sealGroupInfo(
          inviteSecret,
          groupId,
          await openInfo(this.#state, this.#log.keys, groupId, state),
        ),
      },
    }));
    return createGroupInviteLink(this.#state.persona, {
      relayUrl: this.#options.relayUrl,
      trustRoot: this.#options.trustRoot,
      groupId,
      inviteId,
      invitePrivateKey: key.privateKey,
      expiresAt: options.expiresAt,
      maxUses: options.maxUses,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Operations

  /**
   * Signs and submits one operation built by `action` against the current head. Checked locally
   * first (the same rules as the relay), so a refused one fails here with its CORE_GROUP_* code.
   */
  async act(groupRef: string, action: GroupActionInit, reason?: string): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.#log.submit(
      groupId,
      () => action,
      reason === undefined || reason === ''
        ? undefined
        : async (state) =>
            sealReason(
              await currentSecret(this.#state, this.#log.keys, groupId, state),
              groupId,
              reason,
            ),
    );
    // Whoever removes or bans starts the next epoch at once, so the one gone cannot read on.
    if (action.case === 'remove' || action.case === 'ban') {
      await this.#epochs.rotate(groupId, { revokeInvites: false, onlyIfDue: true });
    }
  }

  /**
   * "Reset invite links": a moderator's rotation of the group secret that also revokes every open
   * invite. Links shared so far open nothing from then on; members keep reading with the new
   * secret, which each receives 1:1.
   */
  async resetInvites(groupRef: string): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.#epochs.rotate(groupId, { revokeInvites: true, onlyIfDue: false });
  }

  /** Starts the next epoch now (a moderator's act, or any member's when one is due). */
  async rotate(groupRef: string): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.#epochs.rotate(groupId, { revokeInvites: false, onlyIfDue: false });
  }

  async setInfo(groupRef: string, changes: Partial<GroupInfoData>): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.#log.submit(groupId, async (state) => {
      const secret = await currentSecret(this.#state, this.#log.keys, groupId, state);
      const current = await openInfo(this.#state, this.#log.keys, groupId, state);
      const info = checkGroupInfo({ ...current, ...definedOnly(changes) });
      return { case: 'setInfo', value: { sealedInfo: await sealGroupInfo(secret, groupId, info) } };
    });
  }

  async setPolicy(
    groupRef: string,
    changes: {
      joinByApproval?: boolean;
      slowModeSeconds?: number;
      posting?: GroupPostingRule;
      disappearingSeconds?: number;
      requireImageWarnings?: boolean;
      membersCreateTopics?: boolean;
    },
  ): Promise<void> {
    if (changes.disappearingSeconds !== undefined) {
      // CORE_INVALID_INPUT here, before the log is touched (the rules would refuse it too).
      checkTimerSeconds(
        changes.disappearingSeconds,
        this.#state.ruleContext.minDisappearingSeconds,
      );
    }
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.#log.submit(groupId, (state: GroupState) => ({
      case: 'setPolicy',
      value: {
        joinByApproval: changes.joinByApproval ?? state.policy.joinByApproval,
        slowModeSeconds: changes.slowModeSeconds ?? state.policy.slowModeSeconds,
        posting: postingToWire(changes.posting ?? state.policy.posting),
        disappearingSeconds: changes.disappearingSeconds ?? state.policy.disappearingSeconds,
        requireImageWarnings: changes.requireImageWarnings ?? state.policy.requireImageWarnings,
        membersCreateTopics:
          changes.membersCreateTopics ?? state.policy.membersCreateTopics === true,
      },
    }));
  }

  /**
   * Resolves a member as `memberAddress` does, after fetching the log from the relay, so someone
   * who joined (or asked to) since our last sync can be named, and a pseudonym two members now
   * share is refused as ambiguous. An address we already know needs no fetch: it names the same
   * persona whatever the log says since (and the action is checked against the fresh log anyway).
   */
  async currentMemberAddress(groupRef: string, reference: string): Promise<string> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const wanted = reference.trim().toLowerCase();
    const known = await this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      return state.members.has(wanted) || state.requests.has(wanted) || state.banned.has(wanted);
    });
    if (!known) await this.syncLog(groupId);
    return this.memberAddress(groupRef, reference);
  }

  /** Resolves a member by address or (unique) pseudonym within a group, from what we hold. */
  async memberAddress(groupRef: string, reference: string): Promise<string> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const wanted = reference.trim().toLowerCase();
    const state = await this.#state.transact(() => this.#state.groups.requireState(groupId));
    const known = [...state.members.keys(), ...state.requests.keys(), ...state.banned];
    if (known.includes(wanted)) return wanted;
    const matches: string[] = [];
    await this.#state.transact(async () => {
      for (const address of new Set(known)) {
        const peer = await this.#state.groups.peer(groupId, address);
        if (peer?.pseudonym.normalize('NFC').trim().toLowerCase() === wanted.normalize('NFC')) {
          matches.push(address);
        }
      }
    });
    if (matches.length === 1 && matches[0] !== undefined) return matches[0];
    throw new CoreError(
      CoreErrorCode.GroupBadTarget,
      matches.length > 1
        ? 'several members have that pseudonym: use the address'
        : 'no such member',
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Leaving for good

  /**
   * Forgets a group this persona is no longer in (removed, banned or left): its log, messages,
   * reports and keys leave the vault. CORE_INVALID_INPUT while it is a member or asking to be.
   */
  async forget(groupRef: string): Promise<void> {
    const { groupId, record } = await resolveGroup(this.#state, groupRef);
    if (record.status === 'active' || record.status === 'requested') {
      throw new CoreError(CoreErrorCode.InvalidInput, 'leave the group before forgetting it');
    }
    await this.#state.transact(() => this.#state.groups.forgetGroup(groupId));
    await this.#state.store.flush();
    await this.#options.retireMembershipKey(groupId);
  }

  /** Dismisses a report (by its index) for this moderator alone; kept across restarts. */
  async dismissReport(groupRef: string, index: number): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.#state.transact(async () => {
      const known = (await this.#state.groups.reports(groupId)).some(
        (report) => report.index === index,
      );
      if (!known) throw new CoreError(CoreErrorCode.InvalidInput, 'no report with that number');
      await this.#state.groups.dismissReport(groupId, index);
    });
    await this.#state.store.flush();
  }

  // ---------------------------------------------------------------------------------------------
  // The log

  async sync(groupRef: string): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.syncLog(groupId);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Our profile in a group, with the delivery key of that membership (made and registered on
   * first use). Never inside a vault transaction: the key keeper opens its own.
   */
  async #ownProfile(
    groupId: Uint8Array,
  ): Promise<{ pseudonym: string; accessKey: Uint8Array; profileKey: Uint8Array }> {
    const persona = this.#state.persona;
    return {
      pseudonym: persona.pseudonym,
      accessKey: await this.#options.membershipKey(groupId),
      profileKey: persona.profileKey,
    };
  }

  async #sealOwnProfile(secret: GroupSecret, groupId: Uint8Array): Promise<Uint8Array> {
    return sealMemberProfile(
      secret,
      groupId,
      this.#state.persona.identityPublicKey,
      await this.#ownProfile(groupId),
    );
  }
}

function newRecord(groupId: Uint8Array, secret: Uint8Array, status: GroupStatus): GroupRecord {
  return {
    groupId,
    secret,
    status,
    joinedAt: Date.now(),
    cursor: 0,
    sequence: 0,
    lastPostAt: 0,
    distributedTo: [],
    messageCount: 0,
    warningCount: 0,
    reportCount: 0,
    outboxCount: 0,
  };
}

function postingToWire(posting: GroupPostingRule): GroupPosting {
  return posting === 'moderators' ? GroupPosting.MODERATORS : GroupPosting.EVERYONE;
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}
