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
}

/** A join by invite into a group that admits by approval, waiting for a moderator. */
export interface GroupJoinRequestState {
  readonly address: string;
  readonly identityKey: Uint8Array;
  readonly sealedProfile: Uint8Array;
  /** Sequence of the join operation. */
  readonly requestedAtSequence: number;
}

export interface GroupInviteState {
  readonly inviteId: Uint8Array;
  readonly inviteKey: Uint8Array;
  readonly createdBy: string;
  readonly expiresAt: number;
  readonly maxUses: number;
  readonly uses: number;
}

export interface GroupState {
  readonly groupId: Uint8Array;
  /** Operations applied so far (the create operation is number 0, so this is head + 1). */
  readonly length: number;
  /** SHA-256 of the last SignedGroupOperation applied. */
  readonly head: Uint8Array;
  readonly createdAt: number;
  readonly logKeyHash: Uint8Array;
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
}
