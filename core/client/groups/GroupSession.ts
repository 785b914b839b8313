import { randomBytes } from 'node:crypto';
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
import type { AppliedGroupOperation, GroupOperationView } from '../../groups/GroupRules.js';
import {
  GROUP_INVITE_ID_BYTES,
  GROUP_MESSAGE_ID_BYTES,
  MAX_INVITE_USES,
  applyGroupOperation,
  checkGroupPost,
  decodeGroupOperation,
  groupOperationHash,
  logKeyHash,
} from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupPostingRule, GroupRole, GroupState } from '../../groups/GroupState.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { GROUP_ID_BYTES } from '../../protocol/frames.js';
import type { GroupDeliver } from '../../protocol/gen/kindred_pb.js';
import { GroupPosting } from '../../protocol/gen/kindred_pb.js';
import { RelayErrorCode } from '../../protocol/RelayErrorCode.js';
import { toCoreError } from '../../signal/signalErrors.js';
import { encodeContent, MAX_TEXT_LENGTH } from '../contentCodec.js';
import type { ReceivedContent } from '../contentCodec.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import type { GroupInfoData } from './groupCodec.js';
import {
  checkGroupInfo,
  decodeGroupContent,
  distributionIdFor,
  encodeGroupContent,
  encodeGroupEnvelope,
  openGroupEnvelope,
  openGroupInfo,
  openMemberProfile,
  openReason,
  sealGroupInfo,
  sealMemberProfile,
  sealReason,
} from './groupCodec.js';
import type {
  GroupMessage,
  GroupRecord,
  GroupReportRecord,
  GroupStatus,
  GroupWarning,
  GroupWarningKind,
} from './GroupStore.js';
import { groupIdFromHex } from './GroupStore.js';

/** What a persona's groups report. */
export interface GroupEvents {
  /** A member's message was stored. */
  groupMessage: { readonly groupId: string; readonly message: GroupMessage };
  /** A verified operation was applied to a group's log. */
  groupOperation: { readonly groupId: string; readonly entry: GroupLogEntry };
  /** The relay (or a member through it) broke the rules; the client refused and warns. */
  groupWarning: { readonly groupId: string; readonly warning: GroupWarning };
  /** A member reported a message to us as a moderator. */
  groupReport: { readonly groupId: string; readonly report: GroupReportRecord };
  /** The relay stored one of our group messages. */
  groupSent: { readonly groupId: string; readonly messageId: Uint8Array };
  /** The relay refused one of our group messages for good. */
  groupSendFailed: {
    readonly groupId: string;
    readonly messageId: Uint8Array;
    readonly error: CoreError;
  };
}

export type EmitGroupEvent = <K extends keyof GroupEvents>(event: K, value: GroupEvents[K]) => void;

export interface GroupSessionOptions {
  readonly state: PersonaState;
  readonly relayUrl: string;
  readonly trustRoot: Uint8Array;
  /** Our delivery access key, shared with members inside our sealed profile. */
  readonly accessKey: Uint8Array;
  /** A connection for requests that need no identity (submit, fetch). */
  readonly anonymous: () => Promise<RelayConnection>;
  /** An authenticated connection, for posting; `release` closes it if it was opened just for this. */
  readonly authenticated: () => Promise<{ connection: RelayConnection; release: () => void }>;
  /** Wakes the 1:1 outbox (sender keys and reports travel there). */
  readonly kickOutbox: () => void;
  readonly emit: EmitGroupEvent;
  /** A background failure worth telling the user about. */
  readonly reportError: (error: CoreError) => void;
}

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
}

export interface GroupMemberView {
  readonly address: string;
  readonly pseudonym: string;
  readonly role: GroupRole;
  readonly mutedUntil: number;
  readonly self: boolean;
}

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

/** A group message as shown: deleted ones keep their place but lose their text. */
export interface GroupMessageView extends GroupMessage {
  readonly senderPseudonym: string;
  readonly deleted: boolean;
  readonly pinned: boolean;
}

/** How many times an operation is rebuilt on a fresh head before giving up. */
const SUBMIT_ATTEMPTS = 5;
/** Messages kept waiting for their sender's key, per group. */
const MAX_PARKED = 1000;
/** A report carries this many messages before the reported one. */
const REPORT_CONTEXT = 3;
const PAGE_GUARD = 100_000;

/**
 * One persona's groups: creating and joining them, every moderator action as a signed operation,
 * sending with sender keys, and checking everything the relay delivers against the log.
 *
 * Trust: the relay is never believed. Every operation is checked with the same rules the relay
 * runs (`applyGroupOperation`), every message's sender must be a member of the verified state,
 * and every message carries its sender's log length and head, so a relay that withholds
 * operations or shows members different logs is noticed and reported as a `groupWarning`.
 */
export class GroupSession {
  readonly #options: GroupSessionOptions;
  readonly #queue: { deliver: GroupDeliver; connection: RelayConnection }[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #draining = false;
  #lastActivity = Date.now();
  #posting: Promise<void> | undefined;
  #postAgain = false;
  #lastPostError: CoreError | undefined;

  constructor(options: GroupSessionOptions) {
    this.#options = options;
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
          policy: {
            joinByApproval: options.joinByApproval ?? false,
            slowModeSeconds,
            posting: postingToWire(options.posting ?? 'everyone'),
          },
          sealedProfile: await this.#sealOwnProfile(secret, groupId),
        },
      },
    });
    const applied = applyGroupOperation(undefined, signed);
    const connection = await this.#options.anonymous();
    await connection.request(
      { case: 'submitGroupOperation', value: { operation: signed } },
      'groupAppended',
    );
    await this.#state.transact(async () => {
      await this.#state.groups.put(newRecord(groupId, secret, 'active'));
      await this.#accept(groupId, secret, undefined, applied, signed);
    });
    await this.#state.store.flush();
    return this.summary(toHex(groupId));
  }

  /** Joins with an invite link (already parsed and checked against our relay by the caller). */
  async join(link: GroupInviteLinkData): Promise<GroupSummary> {
    const groupId = link.groupId;
    const secret = GroupSecret.from(link.groupSecret);
    const existing = await this.#state.transact(() => this.#state.groups.get(groupId));
    if (
      existing !== undefined &&
      (existing.status === 'active' || existing.status === 'requested')
    ) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'this persona is already in that group');
    }
    await this.#state.transact(async () => {
      if (existing === undefined)
        await this.#state.groups.put(newRecord(groupId, secret, 'requested'));
    });
    const sealedProfile = await this.#sealOwnProfile(secret, groupId);
    const persona = this.#state.persona;
    const inviteSignature = signGroupJoin(
      link.invitePrivateKey,
      groupId,
      link.inviteId,
      persona.identityPublicKey,
    );
    await this.#submit(groupId, () => ({
      case: 'join',
      value: { inviteId: link.inviteId, inviteSignature, sealedProfile },
    }));
    return this.summary(toHex(groupId));
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
    const { groupId, record } = await this.#resolve(groupRef);
    const key = generateInviteKeyPair();
    const inviteId = ownedBytes(randomBytes(GROUP_INVITE_ID_BYTES));
    await this.#submit(groupId, () => ({
      case: 'invite',
      value: {
        inviteId,
        inviteKey: key.publicKey,
        expiresAt: BigInt(options.expiresAt),
        maxUses: options.maxUses,
      },
    }));
    return createGroupInviteLink(this.#state.persona, {
      relayUrl: this.#options.relayUrl,
      trustRoot: this.#options.trustRoot,
      groupId,
      groupSecret: record.secret,
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
    const { groupId, record } = await this.#resolve(groupRef);
    const sealedReason =
      reason === undefined || reason === ''
        ? undefined
        : await sealReason(GroupSecret.from(record.secret), groupId, reason);
    await this.#submit(groupId, () => action, sealedReason);
  }

  async setInfo(groupRef: string, changes: Partial<GroupInfoData>): Promise<void> {
    const { groupId, record } = await this.#resolve(groupRef);
    const secret = GroupSecret.from(record.secret);
    await this.syncLog(groupId);
    const state = await this.#state.transact(() => this.#state.groups.requireState(groupId));
    const current = await openGroupInfo(secret, groupId, state.sealedInfo);
    const info = checkGroupInfo({ ...current, ...definedOnly(changes) });
    const sealedInfo = await sealGroupInfo(secret, groupId, info);
    await this.#submit(groupId, () => ({ case: 'setInfo', value: { sealedInfo } }));
  }

  async setPolicy(
    groupRef: string,
    changes: { joinByApproval?: boolean; slowModeSeconds?: number; posting?: GroupPostingRule },
  ): Promise<void> {
    const { groupId } = await this.#resolve(groupRef);
    await this.#submit(groupId, (state) => ({
      case: 'setPolicy',
      value: {
        joinByApproval: changes.joinByApproval ?? state.policy.joinByApproval,
        slowModeSeconds: changes.slowModeSeconds ?? state.policy.slowModeSeconds,
        posting: postingToWire(changes.posting ?? state.policy.posting),
      },
    }));
  }

  /** Resolves a member by address or (unique) pseudonym within a group. */
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
   * Writes a message: checked against the rules here first (membership, mute, who may post, slow
   * mode), stored in history and the group outbox, then sent in the background (`groupSent`).
   */
  async send(groupRef: string, text: string, replyTo?: Uint8Array): Promise<GroupMessage> {
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_LENGTH) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        `a message has 1 to ${MAX_TEXT_LENGTH} characters`,
      );
    }
    const { groupId } = await this.#resolve(groupRef);
    const state = this.#state;
    const message = await state.transact(async () => {
      const record = await state.groups.require(groupId);
      const group = await state.groups.requireState(groupId);
      checkGroupPost(
        group,
        this.#address,
        Date.now(),
        record.lastPostAt === 0 ? undefined : record.lastPostAt,
      );
      const sentAt = Date.now();
      const entry: GroupMessage = {
        kind: 'message',
        index: record.messageCount + 1,
        messageId: ownedBytes(randomBytes(GROUP_MESSAGE_ID_BYTES)),
        sender: this.#address,
        sentAt,
        storedAt: sentAt,
        text,
        outgoing: true,
        status: 'pending',
        ...(replyTo === undefined ? {} : { replyTo }),
      };
      await state.groups.putMessage(groupId, entry);
      await state.groups.putOutbox(groupId, {
        id: record.outboxCount + 1,
        messageId: entry.messageId,
        text,
        sequence: record.sequence + 1,
        sentAt,
        historyIndex: entry.index,
        ...(replyTo === undefined ? {} : { replyTo }),
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
    });
    await state.store.flush();
    this.kick();
    return message;
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
        author: message.sender,
        text: message.text,
        sentAt: BigInt(message.sentAt),
      }));
      const moderators = [...group.members.values()].filter(
        (member) =>
          ROLE_RANK[member.role] >= ROLE_RANK.moderator && member.address !== this.#address,
      );
      for (const moderator of moderators) {
        await this.#queueDirect(moderator.address, {
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
    const secret = GroupSecret.from(record.secret);
    const state = await this.#state.transact(() => this.#state.groups.state(groupId));
    const info =
      state === undefined
        ? { name: '', description: '', rules: '' }
        : await openGroupInfo(secret, groupId, state.sealedInfo).catch(() => ({
            name: '',
            description: '',
            rules: '',
          }));
    return {
      groupId: toHex(groupId),
      persona: this.#address,
      ...info,
      status: record.status,
      role: state?.members.get(this.#address)?.role,
      members: state?.members.size ?? 0,
      requests: state?.requests.size ?? 0,
      warnings: record.warningCount,
      policy: state?.policy ?? { joinByApproval: false, slowModeSeconds: 0, posting: 'everyone' },
      pinned: state?.pinned ?? [],
      logLength: state?.length ?? 0,
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

  async requests(
    groupRef: string,
  ): Promise<{ address: string; pseudonym: string; requestedAt: number }[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const views = [];
      for (const request of state.requests.values()) {
        views.push({
          address: request.address,
          pseudonym: (await this.#state.groups.peer(groupId, request.address))?.pseudonym ?? '',
          requestedAt: request.requestedAt,
        });
      }
      return views;
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
        views.push({
          ...message,
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
    const { groupId, record } = await this.#resolve(groupRef);
    const secret = GroupSecret.from(record.secret);
    return this.#state.transact(async () => {
      const entries: GroupLogEntry[] = [];
      for (const signed of await this.#state.groups.operations(groupId, 0)) {
        entries.push(await this.#logEntry(groupId, secret, decodeGroupOperation(signed)));
      }
      return entries;
    });
  }

  async reports(groupRef: string): Promise<GroupReportRecord[]> {
    const { groupId } = await this.#resolve(groupRef);
    return this.#state.transact(() => this.#state.groups.reports(groupId));
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

  /**
   * Fetches the operations the relay has beyond ours and applies each after checking it. An
   * operation the rules refuse stops the sync and is reported: the relay is serving a forged log.
   */
  async syncLog(groupId: Uint8Array): Promise<void> {
    const state = this.#state;
    const record = await state.transact(() => state.groups.require(groupId));
    const secret = GroupSecret.from(record.secret);
    const connection = await this.#options.anonymous();
    for (let guard = 0; guard < PAGE_GUARD; guard++) {
      const current = await state.transact(() => state.groups.state(groupId));
      const from = current?.length ?? 0;
      const page = await connection.request(
        {
          case: 'fetchGroupLog',
          value: { groupId, logKey: secret.logKey(), fromSequence: BigInt(from) },
        },
        'groupLogPage',
      );
      if (page.operations.length === 0) {
        if (Number(page.logLength) > from) {
          await this.#warn(groupId, 'withheld-operations', 'log page empty before its end');
        }
        return;
      }
      const ok = await state.transact(async () => {
        for (const signed of page.operations) {
          if (!(await this.#applyFromRelay(groupId, secret, signed))) return false;
        }
        return true;
      });
      await state.store.flush();
      if (!ok) return;
      if (from + page.operations.length >= Number(page.logLength)) return;
    }
  }

  /** Applies one operation from the relay inside a transaction; false when it was refused. */
  async #applyFromRelay(
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
          await this.#warnInTransaction(groupId, 'fork', 'two operations at one place in the log');
          return false;
        }
      }
      await this.#warnInTransaction(groupId, 'forged-operation', failure.code);
      return false;
    }
    await this.#accept(groupId, secret, before, applied, signed);
    return true;
  }

  /** Stores a checked operation and does what it means for us. Inside a transaction. */
  async #accept(
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
    const left = [...(before?.members.keys() ?? [])].filter(
      (address) => !after.members.has(address),
    );
    if (left.includes(me)) {
      record = {
        ...record,
        status: after.banned.has(me)
          ? 'banned'
          : applied.operation.action.case === 'leave'
            ? 'left'
            : 'removed',
      };
    } else if (left.length > 0 && after.members.has(me)) {
      // Someone is gone: a new sender key, sent only to those who remain, before our next post.
      await state.cipher.rotateSenderKey(distributionIdFor(groupId));
      record = { ...record, distributedTo: [] };
    }
    if (after.members.has(me) && record.status === 'requested')
      record = { ...record, status: 'active' };
    if (after.requests.has(me) && record.status !== 'requested')
      record = { ...record, status: 'requested' };
    if (
      !after.members.has(me) &&
      !after.requests.has(me) &&
      record.status === 'requested' &&
      before?.requests.has(me) === true
    ) {
      record = { ...record, status: after.banned.has(me) ? 'banned' : 'removed' };
    }
    await state.groups.put(record);
    const entry = await this.#logEntry(groupId, secret, applied.operation);
    this.#pending.push(() =>
      this.#options.emit('groupOperation', { groupId: toHex(groupId), entry }),
    );
  }

  /** Events from a transaction, emitted once it committed. */
  #pending: (() => void)[] = [];

  #flushEvents(): void {
    for (const emit of this.#pending.splice(0)) emit();
  }

  async #submit(
    groupId: Uint8Array,
    build: (state: GroupState) => GroupActionInit,
    sealedReason?: Uint8Array,
  ): Promise<void> {
    const state = this.#state;
    const record = await state.transact(() => state.groups.require(groupId));
    const secret = GroupSecret.from(record.secret);
    for (let attempt = 1; ; attempt++) {
      await this.syncLog(groupId);
      const current = await state.transact(() => state.groups.requireState(groupId));
      const signed = signGroupOperation(state.persona, {
        groupId,
        state: current,
        action: build(current),
        ...(sealedReason === undefined ? {} : { sealedReason }),
      });
      // Refused here, with the rules' own code, before the relay sees it.
      applyGroupOperation(current, signed);
      const connection = await this.#options.anonymous();
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
          continue;
        }
        throw error;
      }
      await state.transact(async () => {
        const now = await state.groups.requireState(groupId);
        // The relay's own delivery may have applied it already.
        if (now.length > current.length) return;
        await this.#accept(groupId, secret, current, applyGroupOperation(current, signed), signed);
      });
      await state.store.flush();
      this.#flushEvents();
      return;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound

  /** A stream entry the relay pushed; processed in order, acknowledged once stored. */
  enqueue(deliver: GroupDeliver, connection: RelayConnection): void {
    this.#lastActivity = Date.now();
    this.#queue.push({ deliver, connection });
    if (!this.#draining) void this.#drain();
  }

  /** When the last stream entry arrived or finished processing (ms since the epoch). */
  get lastActivity(): number {
    return this.#lastActivity;
  }

  get isIdle(): boolean {
    return !this.#draining && this.#queue.length === 0 && this.#posting === undefined;
  }

  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    const acks = new Map<
      string,
      { groupId: Uint8Array; index: bigint; connection: RelayConnection }
    >();
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        const { deliver, connection } = next;
        try {
          await this.#processEntry(deliver);
          const key = toHex(deliver.groupId);
          const known = acks.get(key);
          if (known === undefined || known.index < deliver.index) {
            acks.set(key, { groupId: deliver.groupId, index: deliver.index, connection });
          }
        } catch (error) {
          // Not stored (a relay that went away mid-sync, a vault that failed): leave the entry
          // unacknowledged; the relay delivers it again on the next connection.
          this.#pending.length = 0;
          this.#options.reportError(toCoreError(error, CoreErrorCode.Internal, 'group delivery'));
        }
        this.#lastActivity = Date.now();
        if (this.#queue.length === 0 || acks.size > 16) await this.#flushAcks(acks);
      }
    } finally {
      await this.#flushAcks(acks);
      this.#draining = false;
      this.#notifyIdle();
    }
  }

  #notifyIdle(): void {
    if (!this.isIdle) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #flushAcks(
    acks: Map<string, { groupId: Uint8Array; index: bigint; connection: RelayConnection }>,
  ): Promise<void> {
    if (acks.size === 0) return;
    await this.#state.store.flush();
    for (const [key, ack] of acks) {
      acks.delete(key);
      if (!ack.connection.isOpen) continue;
      ack.connection
        .request({ case: 'ackGroup', value: { groupId: ack.groupId, index: ack.index } }, 'ok')
        .catch(() => undefined);
    }
  }

  async #processEntry(deliver: GroupDeliver): Promise<void> {
    const groupId = ownedBytes(deliver.groupId);
    const state = this.#state;
    const record = await state.transact(() => state.groups.get(groupId));
    if (record === undefined) return;
    const index = Number(deliver.index);
    if (index <= record.cursor) return;
    const secret = GroupSecret.from(record.secret);
    const entry = deliver.entry;
    if (entry.case === 'operation') {
      const sequence = safeSequence(entry.value);
      const current = await state.transact(() => state.groups.state(groupId));
      if (sequence !== undefined && sequence > (current?.length ?? 0)) await this.syncLog(groupId);
      await state.transact(async () => {
        await this.#applyFromRelay(groupId, secret, entry.value);
        await this.#advance(groupId, index);
      });
    } else if (entry.case === 'message') {
      await this.#receiveMessage(groupId, secret, index, entry.value, Number(deliver.receivedAt));
    }
    this.#flushEvents();
  }

  async #advance(groupId: Uint8Array, index: number): Promise<void> {
    const record = await this.#state.groups.require(groupId);
    if (index > record.cursor) await this.#state.groups.put({ ...record, cursor: index });
  }

  async #receiveMessage(
    groupId: Uint8Array,
    secret: GroupSecret,
    index: number,
    envelope: Uint8Array,
    receivedAt: number,
  ): Promise<void> {
    const state = this.#state;
    let opened: { sender: string; ciphertext: Uint8Array };
    try {
      opened = await openGroupEnvelope(secret, groupId, envelope);
    } catch {
      await state.transact(async () => {
        await this.#warnInTransaction(
          groupId,
          'ghost-member',
          'a message not sealed with the group secret',
        );
        await this.#advance(groupId, index);
      });
      return;
    }
    if (opened.sender === this.#address) {
      await state.transact(() => this.#advance(groupId, index));
      return;
    }
    const needsSync = await state.transact(async () => {
      const group = await state.groups.requireState(groupId);
      return !group.members.has(opened.sender);
    });
    // A sender we don't know may have joined in operations we have not seen yet.
    if (needsSync) await this.syncLog(groupId);
    await state.transact(async () => {
      await this.#openMessage(groupId, {
        streamIndex: index,
        sender: opened.sender,
        ciphertext: opened.ciphertext,
        receivedAt,
      });
      await this.#advance(groupId, index);
    });
  }

  /** Decrypts, checks and stores one message, or parks it until its sender's key comes. */
  async #openMessage(
    groupId: Uint8Array,
    message: { streamIndex: number; sender: string; ciphertext: Uint8Array; receivedAt: number },
  ): Promise<void> {
    const state = this.#state;
    const group = await state.groups.requireState(groupId);
    const member = group.members.get(message.sender);
    if (member === undefined) {
      await this.#warnInTransaction(
        groupId,
        'ghost-member',
        'a message from someone not in the log',
      );
      return;
    }
    let plaintext: Uint8Array;
    try {
      plaintext = await state.cipher.groupDecrypt(message.sender, message.ciphertext);
    } catch (error) {
      if (
        CoreError.is(error, CoreErrorCode.NoSenderKey) ||
        CoreError.is(error, CoreErrorCode.DecryptFailed)
      ) {
        // Its sender's key (or new key, after a rotation) travels 1:1 and may come later.
        if ((await state.groups.countParked(groupId)) < MAX_PARKED)
          await state.groups.park(groupId, message);
        return;
      }
      throw error;
    }
    const content = decodeGroupContent(plaintext);
    if (content === undefined || (await state.groups.hasSeen(groupId, content.messageId))) return;
    // The sender wrote with a log we must have too: longer means the relay withholds operations
    // from us; a different head at that length means it shows us a different log.
    if (content.logLength > group.length) {
      await this.#warnInTransaction(
        groupId,
        'withheld-operations',
        'a member has seen operations we have not',
      );
    } else {
      const ours = await state.groups.operation(groupId, content.logLength - 1);
      if (ours === undefined || !bytesEqual(groupOperationHash(ours), content.logHead)) {
        await this.#warnInTransaction(groupId, 'fork', 'a member saw a different log');
      }
    }
    if (member.mutedUntil > message.receivedAt) {
      await this.#warnInTransaction(
        groupId,
        'muted-post',
        'the relay delivered a muted member’s post',
      );
      return;
    }
    if (group.policy.posting === 'moderators' && member.role === 'member') {
      await this.#warnInTransaction(
        groupId,
        'restricted-post',
        'the relay delivered a post members may not make',
      );
      return;
    }
    const record = await state.groups.require(groupId);
    const stored: GroupMessage = {
      kind: 'message',
      index: record.messageCount + 1,
      messageId: content.messageId,
      sender: message.sender,
      sentAt: content.sentAt,
      storedAt: Date.now(),
      text: content.text,
      outgoing: false,
      ...(content.replyTo === undefined ? {} : { replyTo: content.replyTo }),
    };
    await state.groups.putMessage(groupId, stored);
    await state.groups.put({ ...record, messageCount: stored.index });
    this.#pending.push(() =>
      this.#options.emit('groupMessage', { groupId: toHex(groupId), message: stored }),
    );
  }

  /**
   * 1:1 content about a group from a fellow member (a sender key, a report), inside the inbound
   * transaction. Returns false when it is not ours to take (unknown group, not a member).
   */
  async handleDirect(sender: string, content: ReceivedContent): Promise<boolean> {
    const state = this.#state;
    const body = content.body;
    if (body.case !== 'senderKeyDistribution' && body.case !== 'report') return false;
    const groupId = ownedBytes(body.value.groupId);
    if (groupId.length !== GROUP_ID_BYTES) return false;
    const group = await state.groups.state(groupId);
    if (group === undefined || !group.members.has(sender)) return false;
    if (body.case === 'senderKeyDistribution') {
      await state.cipher.processSenderKeyDistribution(sender, body.value.distribution);
      for (const parked of await state.groups.parked(groupId, sender)) {
        await state.groups.unpark(groupId, parked);
        await this.#openMessage(groupId, parked);
      }
      return true;
    }
    const me = group.members.get(this.#address);
    if (me === undefined || ROLE_RANK[me.role] < ROLE_RANK.moderator) return false;
    const record = await state.groups.require(groupId);
    const report: GroupReportRecord = {
      index: record.reportCount + 1,
      reporter: sender,
      messageId: ownedBytes(body.value.messageId),
      author: body.value.author,
      text: body.value.text.slice(0, MAX_TEXT_LENGTH),
      context: body.value.context.slice(0, REPORT_CONTEXT).map((item) => ({
        author: item.author,
        text: item.text.slice(0, MAX_TEXT_LENGTH),
        sentAt: Number(item.sentAt),
      })),
      reason: body.value.reason.slice(0, 500),
      receivedAt: Date.now(),
    };
    await state.groups.putReport(groupId, report);
    await state.groups.put({ ...record, reportCount: report.index });
    this.#pending.push(() =>
      this.#options.emit('groupReport', { groupId: toHex(groupId), report }),
    );
    return true;
  }

  /** Emits what handleDirect stored, once the inbound transaction committed. */
  afterDirect(): void {
    this.#flushEvents();
  }

  // ---------------------------------------------------------------------------------------------
  // Outbound

  /** Starts posting the group outboxes (or looks again when already posting). */
  kick(): void {
    this.#postAgain = true;
    this.#posting ??= this.#postAll()
      .catch((error: unknown) => {
        this.#lastPostError = toCoreError(error, CoreErrorCode.Internal, 'group send');
      })
      .finally(() => {
        this.#posting = undefined;
        this.#notifyIdle();
      });
  }

  /** Resolves when every group outbox is empty; rejects with the last failure after `timeoutMs`. */
  async whenPosted(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#posting === undefined && (await this.#outboxSize()) === 0) return;
      if (Date.now() >= deadline) {
        throw (
          this.#lastPostError ??
          new CoreError(CoreErrorCode.RelayTimeout, 'group messages not sent in time')
        );
      }
      if (this.#posting === undefined) this.kick();
      await Promise.race([this.#posting, delay(Math.min(250, Math.max(1, deadline - Date.now())))]);
    }
  }

  async #outboxSize(): Promise<number> {
    const state = this.#state;
    return state.transact(async () => {
      let count = 0;
      for (const record of await state.groups.list())
        count += (await state.groups.outbox(record.groupId)).length;
      return count;
    });
  }

  async #postAll(): Promise<void> {
    while (this.#postAgain) {
      this.#postAgain = false;
      const records = await this.#state.transact(() => this.#state.groups.list());
      for (const record of records) {
        const outbox = await this.#state.transact(() => this.#state.groups.outbox(record.groupId));
        if (outbox.length === 0) continue;
        let link: { connection: RelayConnection; release: () => void } | undefined;
        try {
          link = await this.#options.authenticated();
          for (const entry of outbox) await this.#postOne(record.groupId, entry, link.connection);
          this.#lastPostError = undefined;
        } finally {
          link?.release();
        }
      }
    }
  }

  async #postOne(
    groupId: Uint8Array,
    entry: {
      id: number;
      messageId: Uint8Array;
      text: string;
      replyTo?: Uint8Array;
      sequence: number;
      sentAt: number;
      historyIndex: number;
    },
    connection: RelayConnection,
  ): Promise<void> {
    const state = this.#state;
    for (let attempt = 1; ; attempt++) {
      const prepared = await state.transact(async () => {
        const record = await state.groups.require(groupId);
        const group = await state.groups.requireState(groupId);
        if (!group.members.has(this.#address)) {
          throw new CoreError(CoreErrorCode.GroupNotMember, 'no longer a member of this group');
        }
        await this.#distributeSenderKey(groupId, record, group);
        const distributionId = distributionIdFor(groupId);
        const ciphertext = await state.cipher.groupEncrypt(
          distributionId,
          encodeGroupContent({
            messageId: entry.messageId,
            sentAt: entry.sentAt,
            sequence: entry.sequence,
            logLength: group.length,
            logHead: group.head,
            text: entry.text,
            ...(entry.replyTo === undefined ? {} : { replyTo: entry.replyTo }),
          }),
        );
        const secret = GroupSecret.from(record.secret);
        return {
          envelope: await encodeGroupEnvelope(secret, groupId, this.#address, ciphertext),
          logLength: group.length,
        };
      });
      await state.store.flush();
      // Our sender key must reach members before (or soon after) the message does.
      this.#options.kickOutbox();
      try {
        await connection.request(
          {
            case: 'postGroupMessage',
            value: { groupId, logLength: BigInt(prepared.logLength), envelope: prepared.envelope },
          },
          'groupAppended',
        );
      } catch (error) {
        if (RelayRejectedError.isRelayRejection(error)) {
          if (error.relayCode === RelayErrorCode.GroupStale && attempt < SUBMIT_ATTEMPTS) {
            // Operations we have not seen: maybe a removal, after which we must rotate first.
            await this.syncLog(groupId);
            continue;
          }
          if (PERMANENT_POST_CODES.has(error.relayCode)) {
            await this.#settle(groupId, entry, 'failed');
            this.#options.emit('groupSendFailed', {
              groupId: toHex(groupId),
              messageId: entry.messageId,
              error,
            });
            return;
          }
        }
        if (CoreError.is(error, CoreErrorCode.GroupNotMember)) {
          await this.#settle(groupId, entry, 'failed');
          this.#options.emit('groupSendFailed', {
            groupId: toHex(groupId),
            messageId: entry.messageId,
            error,
          });
          return;
        }
        throw error;
      }
      await this.#settle(groupId, entry, 'sent');
      this.#options.emit('groupSent', { groupId: toHex(groupId), messageId: entry.messageId });
      return;
    }
  }

  async #settle(
    groupId: Uint8Array,
    entry: { id: number; historyIndex: number },
    status: 'sent' | 'failed',
  ): Promise<void> {
    const state = this.#state;
    await state.transact(async () => {
      await state.groups.removeOutbox(groupId, entry.id);
      const message = await state.groups.message(groupId, entry.historyIndex);
      if (message !== undefined) await state.groups.putMessage(groupId, { ...message, status });
      if (status === 'sent') {
        const record = await state.groups.require(groupId);
        await state.groups.put({ ...record, lastPostAt: Date.now() });
      }
    });
    await state.store.flush();
  }

  /** Queues our current sender key, 1:1, to every member who lacks it. Inside a transaction. */
  async #distributeSenderKey(
    groupId: Uint8Array,
    record: GroupRecord,
    group: GroupState,
  ): Promise<void> {
    const state = this.#state;
    const holders = new Set(record.distributedTo.filter((address) => group.members.has(address)));
    const missing = [...group.members.keys()].filter(
      (address) => address !== this.#address && !holders.has(address),
    );
    if (missing.length === 0) return;
    const distribution = await state.cipher.createSenderKeyDistribution(distributionIdFor(groupId));
    for (const address of missing) {
      await this.#queueDirect(address, {
        case: 'senderKeyDistribution',
        value: { groupId, distribution },
      });
      holders.add(address);
    }
    await state.groups.put({
      ...(await state.groups.require(groupId)),
      distributedTo: [...holders],
    });
  }

  /** Puts 1:1 content for a fellow member in the outbox. Inside a transaction. */
  async #queueDirect(
    address: string,
    body: Extract<
      NonNullable<Parameters<typeof encodeContent>[0]['body']>,
      { case: 'senderKeyDistribution' | 'report' }
    >,
  ): Promise<void> {
    const state = this.#state;
    const sequence = await state.history.takeOutgoingSequence(address);
    const messageId = ownedBytes(randomBytes(16));
    const sentAt = Date.now();
    const { bytes } = encodeContent({ messageId, sequence, sentAt, body });
    await state.outbox.put({
      messageId,
      recipient: address,
      sequence,
      content: bytes,
      enqueuedAt: sentAt,
    });
  }

  // ---------------------------------------------------------------------------------------------

  async #resolve(groupRef: string): Promise<{ groupId: Uint8Array; record: GroupRecord }> {
    const groupId = parseGroupId(groupRef);
    if (groupId === undefined) throw new CoreError(CoreErrorCode.GroupNotFound, 'not a group id');
    const record = await this.#state.transact(() => this.#state.groups.require(groupId));
    return { groupId, record };
  }

  async #sealOwnProfile(secret: GroupSecret, groupId: Uint8Array): Promise<Uint8Array> {
    const persona = this.#state.persona;
    return sealMemberProfile(secret, groupId, persona.identityPublicKey, {
      pseudonym: persona.pseudonym,
      accessKey: this.#options.accessKey,
      profileKey: persona.profileKey,
    });
  }

  async #warn(groupId: Uint8Array, kind: GroupWarningKind, detail: string): Promise<void> {
    await this.#state.transact(() => this.#warnInTransaction(groupId, kind, detail));
    await this.#state.store.flush();
    this.#flushEvents();
  }

  async #warnInTransaction(
    groupId: Uint8Array,
    kind: GroupWarningKind,
    detail: string,
  ): Promise<void> {
    const groups = this.#state.groups;
    const record = await groups.require(groupId);
    const warning: GroupWarning = { index: record.warningCount + 1, kind, at: Date.now(), detail };
    await groups.putWarning(groupId, warning);
    await groups.put({ ...record, warningCount: warning.index });
    this.#pending.push(() =>
      this.#options.emit('groupWarning', { groupId: toHex(groupId), warning }),
    );
  }

  async #logEntry(
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

const PERMANENT_POST_CODES = new Set<string>([
  RelayErrorCode.GroupNotMember,
  RelayErrorCode.GroupMuted,
  RelayErrorCode.GroupPostingRestricted,
  RelayErrorCode.GroupNotFound,
  RelayErrorCode.BadFrame,
  RelayErrorCode.FrameTooLarge,
]);

function newRecord(groupId: Uint8Array, secret: GroupSecret, status: GroupStatus): GroupRecord {
  return {
    groupId,
    secret: secret.bytes,
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

function parseGroupId(text: string): Uint8Array | undefined {
  return typeof text === 'string' ? groupIdFromHex(text.trim()) : undefined;
}

function postingToWire(posting: GroupPostingRule): GroupPosting {
  return posting === 'moderators' ? GroupPosting.MODERATORS : GroupPosting.EVERYONE;
}

function postingFromWire(posting: GroupPosting): GroupPostingRule {
  return posting === GroupPosting.MODERATORS ? 'moderators' : 'everyone';
}

function safeSequence(signed: Uint8Array): number | undefined {
  try {
    return decodeGroupOperation(signed).sequence;
  } catch {
    return undefined;
  }
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
