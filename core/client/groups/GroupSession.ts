import { randomBytes } from 'node:crypto';
import { checkTimerSeconds } from '../disappearing/timers.js';
import { bytesEqual, ownedBytes, toHex } from '../../bytes/bytes.js';
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
  checkGroupPost,
  decodeGroupOperation,
  logKeyHash,
} from '../../groups/GroupRules.js';
import { epochContext } from './GroupKeys.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupPostingRule, GroupRole, GroupState } from '../../groups/GroupState.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { GROUP_ID_BYTES } from '../../protocol/frames.js';
import type { GroupDeliver } from '../../protocol/gen/kindred_pb.js';
import { GroupPosting } from '../../protocol/gen/kindred_pb.js';
import type {
  AttachmentSendOptions,
  UploadedAttachments,
} from '../attachments/AttachmentTransfers.js';
import { detectFileKindOf } from '../../attachments/fileType.js';
import { composeMessage } from '../messages/conversationMessages.js';
import { checkImageWarning, shownWarning } from '../messages/contentWarnings.js';
import {
  deleteBody,
  editBody,
  newMessageId,
  reactionBody,
  textBody,
} from '../messages/messageBodyCodec.js';
import type { MessageChangeBody } from '../messages/MessageBody.js';
import type { ReceivedContent } from '../contentCodec.js';
import type { InboundGroupHandler } from '../direct/DirectInbound.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import type { GroupInfoData } from './groupCodec.js';
import {
  checkGroupInfo,
  checkIntroduction,
  openAnyMemberProfile,
  openGroupInfo,
  sealGroupInfo,
  sealJoinProfile,
  sealMemberProfile,
  sealReason,
} from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import { GroupInbound, REPORT_CONTEXT } from './GroupInbound.js';
import type { GroupLogEntry } from './GroupLog.js';
import { GroupLog } from './GroupLog.js';
import type { GroupPreview } from './GroupPreview.js';
import { previewGroupInvite } from './GroupPreview.js';
import { GroupPoster, queueDirect } from './GroupPoster.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { CheckedGroupReport } from './GroupReports.js';
import { checkGroupReport } from './GroupReports.js';
import { reportHandling } from './reportHandling.js';
import type { GroupMessage, GroupRecord, GroupStatus, GroupWarning } from './GroupStore.js';
import { groupIdFromHex } from './GroupStore.js';

export type { EmitGroupEvent, GroupEvents, GroupSessionOptions } from './groupContext.js';
export type { GroupLogEntry } from './GroupLog.js';

export interface GroupCreateOptions extends GroupInfoData {
  readonly joinByApproval?: boolean;
  readonly slowModeSeconds?: number;
  readonly posting?: GroupPostingRule;
}

export interface GroupSummary {
  readonly groupId: string;
  readonly persona: string;
  readonly name: string;
  readonly status: GroupStatus;
  readonly role: GroupRole | undefined;
  readonly members: number;
  readonly requests: number;
  readonly warnings: number;
}

export interface GroupDetails extends GroupSummary, GroupInfoData {
  readonly policy: GroupState['policy'];
  readonly pinned: readonly string[];
  readonly logLength: number;
  /** The epoch of the group secret (0 at create, one more with every rotation). */
  readonly epoch: number;
  /**
   * We do not hold the current epoch's secret: a joiner before a member sent it, or a member
   * whose new secret is still on its way. Messages wait until it comes.
   */
  readonly waitingForKey: boolean;
}

/** How a text to a group is sent: its attachments (see AttachmentSendOptions) and warning. */
export interface GroupSendOptions extends AttachmentSendOptions {
  /** A content warning: members see the message covered under this label until they reveal it. */
  readonly warning?: string;
}

/** A plain member waits this long at most (a random while) before rotating after a leave. */
const MEMBER_ROTATION_DELAY_MS = 3000;

/** The policy of a group whose state we do not have yet: nothing required. */
const NO_IMAGE_WARNINGS = { requireImageWarnings: false } as const;

export interface GroupMemberView {
  readonly address: string;
  readonly pseudonym: string;
  readonly role: GroupRole;
  readonly mutedUntil: number;
  readonly self: boolean;
}

/** A request to join, waiting for a moderator. */
export interface GroupRequestView {
  readonly address: string;
  readonly pseudonym: string;
  /** Sequence of the join operation in the log (not a time). */
  readonly requestedAtSequence: number;
  /** What the requester wrote for the moderators with its request; absent when nothing. */
  readonly introduction?: string;
}

/**
 * A group message as shown: deleted ones keep their place but lose their text. `warning` is the
 * label it is shown covered with: the author's, or "Sensitive image" for an unwarned image when
 * the group requires warnings on images.
 */
export interface GroupMessageView extends GroupMessage {
  readonly senderPseudonym: string;
  readonly deleted: boolean;
  readonly pinned: boolean;
}

/**
 * One persona's groups: creating and joining them, every moderator action as a signed operation,
 * sending with sender keys, and checking everything the relay delivers against the log. The
 * work is done by three parts: the GroupLog (the verified log, warnings), the GroupInbound (what
 * the relay delivers) and the GroupPoster (our messages); this is what the rest of the client
 * calls.
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

  /** Groups whose rotation is scheduled or running (one at a time per group). */
  readonly #rotating = new Set<string>();

  constructor(options: GroupSessionOptions) {
    this.#options = options;
    this.#log = new GroupLog(options);
    this.#inbound = new GroupInbound(options, this.#log);
    this.#poster = new GroupPoster(options, this.#log);
    this.#log.onRotationDue = (groupId) => {
      this.#scheduleRotation(groupId);
    };
    this.#log.onKeysGained = (groupId) => {
      void this.#afterKeysGained(groupId).catch((error: unknown) => {
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

  get #address(): string {
    return this.#state.persona.address;
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
    return this.summary(toHex(groupId));
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
      if (existing === undefined && isRefusal(error)) {
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
    return this.summary(toHex(groupId));
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
    const { groupId } = await this.#resolve(groupRef);
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
          await this.#openInfo(groupId, state),
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
    const { groupId } = await this.#resolve(groupRef);
    await this.#log.submit(
      groupId,
      () => action,
      reason === undefined || reason === ''
        ? undefined
        : async (state) => sealReason(await this.#currentSecret(groupId, state), groupId, reason),
    );
    // Whoever removes or bans starts the next epoch at once, so the one gone cannot read on.
    if (action.case === 'remove' || action.case === 'ban') {
      await this.#rotate(groupId, { revokeInvites: false, onlyIfDue: true });
    }
  }

  /**
   * "Reset invite links": a moderator's rotation of the group secret that also revokes every open
   * invite. Links shared so far open nothing from then on; members keep reading with the new
   * secret, which each receives 1:1.
   */
  async resetInvites(groupRef: string): Promise<void> {
    const { groupId } = await this.#resolve(groupRef);
    await this.#rotate(groupId, { revokeInvites: true, onlyIfDue: false });
  }

  /** Starts the next epoch now (a moderator's act, or any member's when one is due). */
  async rotate(groupRef: string): Promise<void> {
    const { groupId } = await this.#resolve(groupRef);
    await this.#rotate(groupId, { revokeInvites: false, onlyIfDue: false });
  }

  async setInfo(groupRef: string, changes: Partial<GroupInfoData>): Promise<void> {
    const { groupId } = await this.#resolve(groupRef);
    await this.#log.submit(groupId, async (state) => {
      const secret = await this.#currentSecret(groupId, state);
      const current = await this.#openInfo(groupId, state);
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
    },
  ): Promise<void> {
    if (changes.disappearingSeconds !== undefined) {
      // CORE_INVALID_INPUT here, before the log is touched (the rules would refuse it too).
      checkTimerSeconds(
        changes.disappearingSeconds,
        this.#state.ruleContext.minDisappearingSeconds,
      );
    }
    const { groupId } = await this.#resolve(groupRef);
    await this.#log.submit(groupId, (state: GroupState) => ({
      case: 'setPolicy',
      value: {
        joinByApproval: changes.joinByApproval ?? state.policy.joinByApproval,
        slowModeSeconds: changes.slowModeSeconds ?? state.policy.slowModeSeconds,
        posting: postingToWire(changes.posting ?? state.policy.posting),
        disappearingSeconds: changes.disappearingSeconds ?? state.policy.disappearingSeconds,
        requireImageWarnings: changes.requireImageWarnings ?? state.policy.requireImageWarnings,
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
    const { groupId } = await this.#resolve(groupRef);
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
    const { groupId } = await this.#resolve(groupRef);
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
  // Messages

  /**
   * Decrypts attachment `n` (from 0) of a group message into `outPath`: CORE_MESSAGE_NOT_FOUND
   * for an unknown message, else as AttachmentTransfers.save.
   */
  async saveAttachment(
    groupRef: string,
    messageId: Uint8Array,
    n: number,
    outPath: string,
  ): Promise<void> {
    const { groupId } = await this.#resolve(groupRef);
    const state = this.#state;
    const message = await state.transact(() =>
      state.groups.conversation(groupId, { self: this.#address }).findMessage(messageId),
    );
    if (message === undefined) {
      throw new CoreError(CoreErrorCode.MessageNotFound, 'no such message in this group');
    }
    const transfers = this.#options.attachments;
    if (transfers === undefined) {
      throw new CoreError(CoreErrorCode.Internal, 'this session cannot keep attachments');
    }
    await transfers.save(message, n, outPath, { kind: 'group', groupId });
  }

  /**
   * Writes a message: checked against the rules here first (membership, mute, who may post, slow
   * mode), stored in history and the group outbox, then sent in the background (`groupSent`).
   * `warning` puts a content warning on it (CORE_INVALID_INPUT when malformed); a group that
   * requires warnings on images refuses an unwarned image (CORE_WARNING_REQUIRED).
   */
  async send(
    groupRef: string,
    text: string,
    replyTo?: Uint8Array,
    options: GroupSendOptions = {},
  ): Promise<GroupMessage> {
    const paths = options.attachments ?? [];
    const { warning } = options;
    // Checked before any upload: the text, reply id and warning as they will be sent.
    textBody(paths.length > 0 && text === '' ? ' ' : text, { replyTo, warning });
    const { groupId } = await this.#resolve(groupRef);
    const state = this.#state;
    const messageId = newMessageId();
    let uploaded: UploadedAttachments = { pointers: [], files: [] };
    const transfers = this.#options.attachments;
    if (paths.length > 0) {
      if (transfers === undefined) {
        throw new CoreError(CoreErrorCode.Internal, 'this session cannot send attachments');
      }
      // The posting rules first: no upload for a post the group would refuse.
      const { others, policy } = await state.transact(async () => {
        const record = await state.groups.require(groupId);
        const group = await state.groups.requireState(groupId);
        checkGroupPost(
          { ...group, rotationDue: false },
          this.#address,
          Date.now(),
          record.lastPostAt === 0 ? undefined : record.lastPostAt,
        );
        const count = [...group.members.keys()].filter((member) => member !== this.#address);
        return { others: count.length, policy: group.policy };
      });
      // An unwarned image in a group that requires warnings: refused before anything is uploaded
      // (the files' sniffed types are the ones their pointers will carry).
      if (policy.requireImageWarnings && warning === undefined) {
        const kinds = await Promise.all(paths.map((path) => detectFileKindOf(path)));
        checkImageWarning({ attachments: kinds }, policy);
      }
      // ONE blob for the whole group: fetched once by each other member.
      uploaded = await transfers.upload(paths, {
        conversation: { kind: 'group', groupId },
        messageId,
        expectedFetches: Math.max(1, others),
        ...(options.sendUncleaned === undefined ? {} : { sendUncleaned: options.sendUncleaned }),
        ...(options.keepFileNames === undefined ? {} : { keepFileNames: options.keepFileNames }),
      });
    }
    const body = textBody(text, { replyTo, attachments: uploaded.pointers, warning });
    const message = await state
      .transact(async () => {
        const record = await state.groups.require(groupId);
        const group = await state.groups.requireState(groupId);
        // A due rotation only delays a message: it waits in the outbox until the new epoch.
        checkGroupPost(
          { ...group, rotationDue: false },
          this.#address,
          Date.now(),
          record.lastPostAt === 0 ? undefined : record.lastPostAt,
        );
        // Again on the real pointers, under the policy as it stands now (it may have changed).
        checkImageWarning(body, group.policy);
        const sentAt = Date.now();
        // Under the group's disappearing timer, our copy leaves the vault when everyone's does.
        const timer = group.policy.disappearingSeconds;
        const entry = await composeMessage(
          state.groups.conversation(groupId, { self: this.#address, deleted: group.deleted }),
          this.#address,
          body,
          {
            messageId,
            sentAt,
            attachmentFiles: uploaded.files,
            ...(timer === 0 ? {} : { expiresAt: sentAt + timer * 1000 }),
          },
        );
        await state.groups.putOutbox(groupId, {
          id: record.outboxCount + 1,
          messageId: entry.messageId,
          text: body.text,
          ...(body.attachments === undefined ? {} : { attachments: body.attachments }),
          sequence: record.sequence + 1,
          sentAt,
          historyIndex: entry.index,
          ...(body.replyTo === undefined ? {} : { replyTo: body.replyTo }),
          ...(body.warning === undefined ? {} : { warning: body.warning }),
        });
        await state.groups.put({
          ...record,
          messageCount: entry.index,
          outboxCount: record.outboxCount + 1,
          sequence: record.sequence + 1,
          // Slow mode counts from the attempt: the relay will count from its receipt.
          lastPostAt: sentAt,
        });
        return entry;
      })
      .catch(async (error: unknown) => {
        await transfers?.discard(uploaded);
        throw error;
      });
    await state.store.flush();
    this.#poster.kick();
    return message;
  }

  /**
   * Reacts to a message of the group with `emoji`, or takes our reaction back with ''. One
   * reaction per member per message: a new one replaces ours. Stored on the message at once (the
   * returned message shows it under our address), then posted through the group outbox like a
   * text. The posting rules apply (membership, mute, who may post) but for slow mode: slow mode
   * paces the conversation so a heated thread can cool down, and a reaction adds no line to it,
   * so neither we nor the relay pace reactions (the relay's rate limit still bounds a flood).
   * CORE_INVALID_INPUT for a malformed id or emoji, CORE_MESSAGE_NOT_FOUND when the group holds
   * no such message (or a moderator deleted it).
   */
  async react(groupRef: string, messageId: Uint8Array, emoji: string): Promise<GroupMessage> {
    return this.#postChange(groupRef, reactionBody(messageId, emoji));
  }

  /**
   * Edits one of our messages: `text` replaces its words and `warning` its content warning
   * (absent: none from now on); every member shows it "edited". Posted like a reaction (the
   * posting rules but slow mode). CORE_NOT_AUTHOR for another member's message,
   * CORE_MESSAGE_NOT_FOUND for one the group lacks, that we deleted or a moderator deleted.
   */
  async edit(
    groupRef: string,
    messageId: Uint8Array,
    text: string,
    options: { readonly warning?: string } = {},
  ): Promise<GroupMessage> {
    return this.#postChange(groupRef, editBody(messageId, text, options));
  }

  /**
   * Deletes one of our messages for everyone: every member keeps its place, shown as "deleted
   * by its author", without its text, warning, reactions or attachment files. As {@link edit}.
   */
  async deleteForEveryone(groupRef: string, messageId: Uint8Array): Promise<GroupMessage> {
    return this.#postChange(groupRef, deleteBody(messageId));
  }

  /** Applies a reaction, edit or deletion to our copy and queues it in the group outbox. */
  async #postChange(groupRef: string, body: MessageChangeBody): Promise<GroupMessage> {
    const { groupId } = await this.#resolve(groupRef);
    const state = this.#state;
    const { updated, previous } = await state.transact(async () => {
      const record = await state.groups.require(groupId);
      const group = await state.groups.requireState(groupId);
      checkGroupPost({ ...group, rotationDue: false }, this.#address, Date.now(), undefined);
      const sentAt = Date.now();
      const contentId = newMessageId();
      const conversation = state.groups.conversation(groupId, {
        self: this.#address,
        deleted: group.deleted,
      });
      const before = await conversation.findMessage(body.messageId);
      const changed = await composeMessage(conversation, this.#address, body, {
        messageId: contentId,
        sentAt,
      });
      await state.groups.putOutbox(groupId, {
        id: record.outboxCount + 1,
        messageId: contentId,
        text: '',
        sequence: record.sequence + 1,
        sentAt,
        historyIndex: 0,
        ...(body.kind === 'reaction'
          ? { reaction: { messageId: body.messageId, emoji: body.emoji } }
          : { change: body }),
      });
      // lastPostAt stays: a reaction (an edit, a deletion) does not start the slow-mode interval.
      await state.groups.put({
        ...record,
        outboxCount: record.outboxCount + 1,
        sequence: record.sequence + 1,
      });
      return { updated: changed, previous: before };
    });
    await state.store.flush();
    if (body.kind === 'delete' && previous !== undefined) {
      await this.#options.attachments?.deleteFilesOf(previous);
    }
    this.#poster.kick();
    return updated;
  }

  /** Sends a report of a message to every moderator (not to the relay, not to members). */
  async report(groupRef: string, messageId: Uint8Array, reason: string): Promise<number> {
    if (reason.length > 500)
      throw new CoreError(CoreErrorCode.InvalidInput, 'the reason is too long');
    const { groupId } = await this.#resolve(groupRef);
    const state = this.#state;
    const sent = await state.transact(async () => {
      const group = await state.groups.requireState(groupId);
      const messages = await state.groups.messages(groupId);
      const at = messages.findIndex((message) => bytesEqual(message.messageId, messageId));
      const reported = messages[at];
      if (reported === undefined)
        throw new CoreError(CoreErrorCode.InvalidInput, 'no such message in this group');
      const context = messages.slice(Math.max(0, at - REPORT_CONTEXT), at).map((message) => ({
        messageId: message.messageId,
        author: message.sender,
        text: message.text,
        sentAt: BigInt(message.sentAt),
      }));
      const moderators = [...group.members.values()].filter(
        (member) =>
          ROLE_RANK[member.role] >= ROLE_RANK.moderator && member.address !== this.#address,
      );
      for (const moderator of moderators) {
        await queueDirect(this.#state, moderator.address, {
          case: 'report',
          value: {
            groupId,
            messageId,
            author: reported.sender,
            text: reported.text,
            context,
            reason,
          },
        });
      }
      return moderators.length;
    });
    await state.store.flush();
    this.#options.kickOutbox();
    return sent;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  async list(): Promise<GroupSummary[]> {
    const records = await this.#state.transact(() => this.#state.groups.list());
    const summaries: GroupSummary[] = [];
    for (const record of records) summaries.push(await this.summary(toHex(record.groupId)));
    return summaries;
  }

  async summary(groupRef: string): Promise<GroupSummary> {
    const details = await this.details(groupRef);
    return {
      groupId: details.groupId,
      persona: details.persona,
      name: details.name,
      status: details.status,
      role: details.role,
      members: details.members,
      requests: details.requests,
      warnings: details.warnings,
    };
  }

  async details(groupRef: string): Promise<GroupDetails> {
    const { groupId, record } = await this.#resolve(groupRef);
    const state = await this.#state.transact(() => this.#state.groups.state(groupId));
    const info =
      state === undefined
        ? { name: '', description: '', rules: '' }
        : await this.#state.transact(() => this.#openInfo(groupId, state));
    const current =
      state === undefined
        ? undefined
        : await this.#state.transact(() => this.#log.keys.current(groupId, state));
    return {
      groupId: toHex(groupId),
      persona: this.#address,
      ...info,
      status: record.status,
      role: state?.members.get(this.#address)?.role,
      members: state?.members.size ?? 0,
      requests: state?.requests.size ?? 0,
      warnings: record.warningCount,
      policy: state?.policy ?? {
        joinByApproval: false,
        slowModeSeconds: 0,
        posting: 'everyone',
        disappearingSeconds: 0,
        requireImageWarnings: false,
      },
      pinned: state?.pinned ?? [],
      logLength: state?.length ?? 0,
      epoch: state?.epoch ?? 0,
      waitingForKey: current === undefined,
    };
  }

  async members(groupRef: string): Promise<GroupMemberView[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const views: GroupMemberView[] = [];
      for (const member of state.members.values()) {
        views.push({
          address: member.address,
          pseudonym: (await this.#state.groups.peer(groupId, member.address))?.pseudonym ?? '',
          role: member.role,
          mutedUntil: member.mutedUntil,
          self: member.address === this.#address,
        });
      }
      return views.sort(
        (a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || a.pseudonym.localeCompare(b.pseudonym),
      );
    });
  }

  async requests(groupRef: string): Promise<GroupRequestView[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const views: GroupRequestView[] = [];
      const secrets = await this.#log.keys.held(groupId, state);
      for (const request of state.requests.values()) {
        // The introduction travels only in the sealed join profile (never in our peer records).
        const introduction = await openAnyMemberProfile(
          secrets,
          groupId,
          request.identityKey,
          request.sealedProfile,
        ).then(
          (profile) => profile.introduction,
          () => undefined,
        );
        views.push({
          address: request.address,
          pseudonym: (await this.#state.groups.peer(groupId, request.address))?.pseudonym ?? '',
          requestedAtSequence: request.requestedAtSequence,
          ...(introduction === undefined ? {} : { introduction }),
        });
      }
      // Oldest first; the state's own order follows key hashes (PersistentMap).
      return views.sort((a, b) => a.requestedAtSequence - b.requestedAtSequence);
    });
  }

  /** Personas banned from the group, by the pseudonym they had ('' when none opened). */
  async banned(groupRef: string): Promise<{ address: string; pseudonym: string }[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const views: { address: string; pseudonym: string }[] = [];
      for (const address of state.banned) {
        const pseudonym = (await this.#state.groups.peer(groupId, address))?.pseudonym ?? '';
        views.push({ address, pseudonym });
      }
      return views.sort(
        (a, b) => a.pseudonym.localeCompare(b.pseudonym) || a.address.localeCompare(b.address),
      );
    });
  }

  async messages(groupRef: string): Promise<GroupMessageView[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.state(groupId);
      const messages = await this.#state.groups.messages(groupId);
      const names = new Map<string, string>();
      const views: GroupMessageView[] = [];
      for (const message of messages) {
        let name = names.get(message.sender);
        if (name === undefined) {
          name = (await this.#state.groups.peer(groupId, message.sender))?.pseudonym ?? '';
          names.set(message.sender, name);
        }
        const id = toHex(message.messageId);
        const deleted = state?.deleted.has(id) ?? false;
        // A deleted message keeps its place, but neither its text nor reactions to it.
        const { reactions, ...rest } = message;
        // Covered with the author's warning, or "Sensitive image" when the policy requires one.
        const warning = deleted
          ? undefined
          : shownWarning(
              {
                ...(message.warning === undefined ? {} : { warning: message.warning }),
                ...(message.attachments === undefined
                  ? {}
                  : { attachments: message.attachments.map((a) => a.pointer) }),
              },
              state?.policy ?? NO_IMAGE_WARNINGS,
            );
        views.push({
          ...withoutWarning(rest),
          ...(deleted || reactions === undefined ? {} : { reactions }),
          ...(warning === undefined ? {} : { warning }),
          text: deleted ? '' : message.text,
          senderPseudonym: name,
          deleted,
          pinned: state?.pinned.includes(id) ?? false,
        });
      }
      return views;
    });
  }

  /** The moderation log: every operation, with actor, target and reason, for every member. */
  async log(groupRef: string): Promise<GroupLogEntry[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const entries: GroupLogEntry[] = [];
      // A join under the approval policy is a request: follow the policy along the log.
      let approval = false;
      // And the timer, so a policy change that set it can say to what.
      let timer = 0;
      for (const signed of await this.#state.groups.operations(groupId, 0)) {
        const operation = decodeGroupOperation(signed);
        const action = operation.action;
        const entry = await this.#log.entry(groupId, operation, state);
        const newTimer =
          action.case === 'setPolicy' && action.value.disappearingSeconds !== timer
            ? action.value.disappearingSeconds
            : undefined;
        entries.push(
          action.case === 'join' && approval
            ? { ...entry, detail: 'request' }
            : newTimer === undefined
              ? entry
              : { ...entry, timer: newTimer },
        );
        if (action.case === 'create') {
          approval = action.value.policy?.joinByApproval ?? false;
          timer = action.value.policy?.disappearingSeconds ?? 0;
        }
        if (action.case === 'setPolicy') {
          approval = action.value.joinByApproval;
          timer = action.value.disappearingSeconds;
        }
      }
      return entries;
    });
  }

  /**
   * Reports sent to us as a moderator, each shown with our own copy of the messages it names
   * (looked up by id, so a report that misquotes someone is flagged, never believed).
   */
  async reports(groupRef: string): Promise<CheckedGroupReport[]> {
    const { groupId } = await this.#resolve(groupRef);
    const groups = this.#state.groups;
    const log = await this.log(groupRef);
    return this.#state.transact(async () => {
      const checked: CheckedGroupReport[] = [];
      const dismissed = await groups.dismissedReports(groupId);
      for (const report of await groups.reports(groupId)) {
        const shown = await checkGroupReport(groups, groupId, report);
        // The author as the message says (our copy), never only the reporter's word.
        const handled = reportHandling(
          {
            messageId: shown.messageId,
            author: shown.author,
            since: shown.sentAt === 0 ? shown.receivedAt : shown.sentAt,
          },
          log,
        );
        checked.push({
          ...shown,
          ...(handled === undefined ? {} : { handled }),
          dismissed: dismissed.has(shown.index),
        });
      }
      return checked;
    });
  }

  /**
   * Forgets a group this persona is no longer in (removed, banned or left): its log, messages,
   * reports and keys leave the vault. CORE_INVALID_INPUT while it is a member or asking to be.
   */
  async forget(groupRef: string): Promise<void> {
    const { groupId, record } = await this.#resolve(groupRef);
    if (record.status === 'active' || record.status === 'requested') {
      throw new CoreError(CoreErrorCode.InvalidInput, 'leave the group before forgetting it');
    }
    await this.#state.transact(() => this.#state.groups.forgetGroup(groupId));
    await this.#state.store.flush();
    await this.#options.retireMembershipKey(groupId);
  }

  /** Dismisses a report (by its index) for this moderator alone; kept across restarts. */
  async dismissReport(groupRef: string, index: number): Promise<void> {
    const { groupId } = await this.#resolve(groupRef);
    await this.#state.transact(async () => {
      const known = (await this.#state.groups.reports(groupId)).some(
        (report) => report.index === index,
      );
      if (!known) throw new CoreError(CoreErrorCode.InvalidInput, 'no report with that number');
      await this.#state.groups.dismissReport(groupId, index);
    });
    await this.#state.store.flush();
  }

  async warnings(groupRef: string): Promise<GroupWarning[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(() => this.#state.groups.warnings(groupId));
  }

  /** Whether this persona has the group (by hex id). */
  async has(groupIdHex: string): Promise<boolean> {
    const groupId = parseGroupId(groupIdHex);
    if (groupId === undefined) return false;
    return (await this.#state.transact(() => this.#state.groups.get(groupId))) !== undefined;
  }

  /** Groups whose name matches `name` (case-insensitive), as hex ids. */
  async findByName(name: string): Promise<string[]> {
    const wanted = name.trim().toLowerCase();
    const found: string[] = [];
    for (const summary of await this.list()) {
      if (summary.name.trim().toLowerCase() === wanted) found.push(summary.groupId);
    }
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // The log

  async sync(groupRef: string): Promise<void> {
    const { groupId } = await this.#resolve(groupRef);
    await this.syncLog(groupId);
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound

  // ---------------------------------------------------------------------------------------------
  // Outbound

  // ---------------------------------------------------------------------------------------------

  async #resolve(groupRef: string): Promise<{ groupId: Uint8Array; record: GroupRecord }> {
    const groupId = parseGroupId(groupRef);
    if (groupId === undefined) throw new CoreError(CoreErrorCode.GroupNotFound, 'not a group id');
    const record = await this.#state.transact(() => this.#state.groups.require(groupId));
    return { groupId, record };
  }

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

  /** The current epoch's secret; CORE_GROUP_KEY_MISSING while we wait for it. */
  async #currentSecret(groupId: Uint8Array, state: GroupState): Promise<GroupSecret> {
    const secret = await this.#state.transact(() => this.#log.keys.current(groupId, state));
    if (secret === undefined) {
      throw new CoreError(CoreErrorCode.GroupKeyMissing, 'waiting for the group key');
    }
    return secret;
  }

  /**
   * The group's info, opened with whichever epoch's secret sealed it; a joiner still waiting for
   * the group key sees the welcome its invite carries. Empty when nothing opens.
   */
  async #openInfo(groupId: Uint8Array, state: GroupState): Promise<GroupInfoData> {
    for (const secret of await this.#log.keys.held(groupId, state)) {
      try {
        return await openGroupInfo(secret, groupId, state.sealedInfo);
      } catch {
        // Sealed under another epoch's secret.
      }
    }
    const inviteKey = await this.#state.groups.inviteKey(groupId);
    if (inviteKey !== undefined) {
      const inviteSecret = GroupSecret.forInvite(inviteKey);
      for (const invite of state.invites.values()) {
        if (invite.sealedWelcome.length === 0) continue;
        try {
          return await openGroupInfo(inviteSecret, groupId, invite.sealedWelcome);
        } catch {
          // Another invite's welcome.
        }
      }
    }
    return { name: '', description: '', rules: '' };
  }

  // ---------------------------------------------------------------------------------------------
  // Epochs

  /**
   * After a departure, while we are a member: a moderator (or the owner) rotates at once; a plain
   * member after a short random wait, and only if nobody has by then, so a crowd does not race.
   */
  #scheduleRotation(groupId: Uint8Array): void {
    const key = toHex(groupId);
    if (this.#rotating.has(key)) return;
    this.#rotating.add(key);
    void (async () => {
      const role = await this.#state.transact(
        async () => (await this.#state.groups.state(groupId))?.members.get(this.#address)?.role,
      );
      if (role === 'member') await delay(Math.random() * MEMBER_ROTATION_DELAY_MS);
      await this.#rotate(groupId, { revokeInvites: false, onlyIfDue: true });
    })()
      .catch((error: unknown) => {
        if (isRefusal(error) || CoreError.is(error, CoreErrorCode.GroupKeyMissing)) return;
        this.#options.reportError(toCoreError(error, CoreErrorCode.Internal, 'group rotation'));
      })
      .finally(() => {
        this.#rotating.delete(key);
      });
  }

  /**
   * Starts the next epoch: a new secret, queued 1:1 (in the durable outbox, before the rotation
   * is submitted, so a crash cannot leave the group with a secret nobody was sent) to every other
   * member, then the signed rotate_epoch carrying the previous secret sealed under the new one.
   * Losing a race to another member's rotation is no failure: ours is dropped (its secret never
   * matches the log, so members who got it drop it too). True when ours landed.
   */
  async #rotate(
    groupId: Uint8Array,
    options: { revokeInvites: boolean; onlyIfDue: boolean },
  ): Promise<boolean> {
    const state = this.#state;
    await this.syncLog(groupId);
    const current = await state.transact(() => state.groups.requireState(groupId));
    if (options.onlyIfDue && !current.rotationDue) return false;
    if (!current.members.has(this.#address)) return false;
    const previous = await this.#currentSecret(groupId, current);
    const next = GroupSecret.generate();
    const epoch = current.epoch + 1;
    const sealedPreviousSecret = await next.seal(
      'epoch',
      previous.bytes,
      epochContext(groupId, current.epoch),
    );
    const joinKey = (await next.joinKeyPair()).publicKey;
    await state.transact(async () => {
      await this.#log.keys.offer(groupId, next);
      for (const address of current.members.keys()) {
        if (address === this.#address) continue;
        if ((await state.groups.peer(groupId, address)) === undefined) continue;
        await queueDirect(state, address, {
          case: 'groupEpochSecret',
          value: { groupId, epoch: BigInt(epoch), secret: next.bytes },
        });
        await state.groups.putEpochSentTo(groupId, address, epoch);
      }
    });
    await state.store.flush();
    this.#options.kickOutbox();
    try {
      await this.#log.submit(groupId, (latest) => {
        if (latest.epoch !== current.epoch || (options.onlyIfDue && !latest.rotationDue)) {
          throw new CoreError(CoreErrorCode.GroupConflict, 'another member rotated first');
        }
        return {
          case: 'rotateEpoch',
          value: {
            epoch: BigInt(epoch),
            logKeyHash: logKeyHash(next.logKey()),
            sealedPreviousSecret,
            revokeInvites: options.revokeInvites,
            joinKey,
          },
        };
      });
    } catch (error) {
      if (CoreError.is(error, CoreErrorCode.GroupConflict)) {
        await state.transact(() =>
          state.groups.deleteEpochCandidate(groupId, toHex(logKeyHash(next.logKey()))),
        );
        await state.store.flush();
        return false;
      }
      throw error;
    }
    return true;
  }

  /** We hold a secret we lacked: read on with it, open what waited for it, post what waited. */
  async #afterKeysGained(groupId: Uint8Array): Promise<void> {
    await this.syncLog(groupId);
    await this.#state.transact(async () => {
      const state = await this.#state.groups.state(groupId);
      if (state !== undefined) await this.#log.keys.settle(groupId, state);
      await this.#log.reopenProfiles(groupId);
    });
    await this.#state.store.flush();
    await this.#inbound.releaseEpochParked(groupId);
    this.#poster.kick();
    // A window showing "waiting for the group key" must hear that it came.
    this.#options.emit('groupKey', { groupId: toHex(groupId) });
  }
}

function withoutWarning<T extends { readonly warning?: string }>(value: T): Omit<T, 'warning'> {
  const copy: T = { ...value };
  delete (copy as { warning?: string }).warning;
  return copy;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

/** An error that means the relay or our own rules refused an operation (not a lost answer). */
function isRefusal(error: unknown): boolean {
  return (
    RelayRejectedError.isRelayRejection(error) ||
    (CoreError.is(error) && error.code.startsWith('CORE_GROUP_'))
  );
}

function parseGroupId(text: string): Uint8Array | undefined {
  return typeof text === 'string' ? groupIdFromHex(text.trim()) : undefined;
}

function postingToWire(posting: GroupPostingRule): GroupPosting {
  return posting === 'moderators' ? GroupPosting.MODERATORS : GroupPosting.EVERYONE;
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}
