/**
 * The state a group's log leads to. Built only by `applyGroupOperation` (GroupRules.ts), which the
 * relay runs before it accepts an operation and every client runs again on what it receives.
 * Immutable: applying an operation returns a new state and leaves the old one as it was.
 *
 * Everything here is what the relay may know: addresses, identity keys, roles, counts, times and
 * sealed blobs. Names, rules, reasons and pseudonyms stay sealed under the group secret.
 */

export type GroupRole = 'owner' | 'moderator' | 'member';

/** Higher outranks lower: a moderator acts on members, the owner on everyone. */
export const ROLE_RANK: Readonly<Record<GroupRole, number>> = {
  owner: 3,
  moderator: 2,
  member: 1,
};

export type GroupPostingRule = 'everyone' | 'moderators';

export interface GroupPolicyState {
  readonly joinByApproval: boolean;
  /** 0: off. Otherwise at most one post per member per interval. */
  readonly slowModeSeconds: number;
  readonly posting: GroupPostingRule;
  /** Disappearing messages: 0 off; else messages are deleted this long after they were sent. */
  readonly disappearingSeconds: number;
  /** Members must put a content warning on images (and cover unwarned ones that arrive). */
  readonly requireImageWarnings: boolean;
  /** Members (not only moderators) may create topics. Absent in states from before topics. */
  readonly membersCreateTopics?: boolean;
  /**
   * Members may write to each other 1:1, a first message arriving as a request. Off by default
   * (and absent in states from before it).
   */
  readonly membersMessagePrivately?: boolean;
}

export interface GroupMemberState {
  readonly address: string;
  readonly identityKey: Uint8Array;
  readonly role: GroupRole;
  /** ms since the epoch; 0 or a past time: not muted. */
  readonly mutedUntil: number;
  /** MemberProfile sealed under the group secret. */
  readonly sealedProfile: Uint8Array;
  /** Sequence of the operation that made this persona a member. */
  readonly since: number;
  /** Hex id of the invite it joined with; absent for the creator. Revoked when it is removed. */
  readonly inviteId?: string;
}

/** A join by invite into a group that admits by approval, waiting for a moderator. */
export interface GroupJoinRequestState {
  readonly address: string;
  readonly identityKey: Uint8Array;
  readonly sealedProfile: Uint8Array;
  /** Sequence of the join operation. */
  readonly requestedAtSequence: number;
  /** Hex id of the invite the request came with. */
  readonly inviteId: string;
}

export interface GroupInviteState {
  readonly inviteId: Uint8Array;
  readonly inviteKey: Uint8Array;
  readonly createdBy: string;
  readonly expiresAt: number;
  readonly maxUses: number;
  readonly uses: number;
  /** SHA-256 of the invite's read key (empty for invites made before epochs). */
  readonly readKeyHash: Uint8Array;
  /** GroupInfo sealed under the invite's welcome key (may be empty). */
  readonly sealedWelcome: Uint8Array;
}

/** One epoch of the group secret, as its create or rotate_epoch operation set it. */
export interface GroupEpochState {
  readonly epoch: number;
  /** SHA-256 of the epoch's log key. */
  readonly logKeyHash: Uint8Array;
  /** Sequence of the operation that started it (0 for the create operation). */
  readonly startSequence: number;
  /** X25519 public key joiners seal their profiles to during the epoch (may be empty). */
  readonly joinKey: Uint8Array;
}

export interface GroupState {
  readonly groupId: Uint8Array;
  /** Operations applied so far (the create operation is number 0, so this is head + 1). */
  readonly length: number;
  /** SHA-256 of the last SignedGroupOperation applied. */
  readonly head: Uint8Array;
  readonly createdAt: number;
  /** The current epoch's log-key hash (the relay serves the whole log only to its key). */
  readonly logKeyHash: Uint8Array;
  /** The current epoch of the group secret: 0 at create, +1 with every rotate_epoch. */
  readonly epoch: number;
  /** Every epoch so far, oldest first (`epochs[e].epoch === e`). */
  readonly epochs: readonly GroupEpochState[];
  /**
   * A member left or was removed or banned since the last rotation: until someone rotates, the
   * rules accept only rotate_epoch, remove, ban and leave, and refuse posts.
   */
  readonly rotationDue: boolean;
  /** Latest GroupInfo sealed under the group secret. */
  readonly sealedInfo: Uint8Array;
  readonly policy: GroupPolicyState;
  /** Keyed by address. */
  readonly members: ReadonlyMap<string, GroupMemberState>;
  readonly requests: ReadonlyMap<string, GroupJoinRequestState>;
  /** Addresses that may not join again until unbanned. */
  readonly banned: ReadonlySet<string>;
  /** Keyed by the invite id in hex. */
  readonly invites: ReadonlyMap<string, GroupInviteState>;
  /** Pinned message ids in hex, oldest first. */
  readonly pinned: readonly string[];
  /** Message ids in hex deleted for everyone. */
  readonly deleted: ReadonlySet<string>;
  /**
   * Scheduled host-led chats, keyed by chat id in hex (core/groups/scheduleRules.ts). Absent in
   * states built before the first schedule operation: the same as none.
   */
  readonly schedules?: ReadonlyMap<string, GroupScheduledChatState>;
  /** Topics besides General, keyed by hex topic id (topicRules.ts). Absent: none yet. */
  readonly topics?: ReadonlyMap<string, GroupTopicState>;
  /** Messages moderators moved: hex message id → hex topic id ('' General). Absent: none. */
  readonly movedMessages?: ReadonlyMap<string, string>;
}

/** A scheduled chat as the relay may know it: an id, who scheduled it, and sealed details. */
export interface GroupScheduledChatState {
  /** 16 bytes in hex. */
  readonly chatId: string;
  /** ScheduleDetails sealed under the group secret of the epoch at `sequence`. */
  readonly sealedDetails: Uint8Array;
  /** The moderator who scheduled (or last rescheduled) it: the chat's host. */
  readonly scheduledBy: string;
  /** Sequence of the schedule_chat operation that set it. */
  readonly sequence: number;
  /** Occurrences (1 = the first) cancelled one by one, ascending. */
  readonly cancelledOccurrences: readonly number[];
}

/** A topic of the group (General, the default, is implicit and never one of these). */
export interface GroupTopicState {
  readonly topicId: Uint8Array;
  /** The name, sealed under the group secret (purpose 'topic', context group id + topic id). */
  readonly sealedName: Uint8Array;
  readonly createdBy: string;
  /** Sequence of the operation that created it. */
  readonly createdAt: number;
  /** Sequence of the operation that closed it; absent while open. */
  readonly closedAt?: number;
}
