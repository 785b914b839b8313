import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { createHash } from 'node:crypto';
import { bytesEqual, concatBytes, ownedBytes, toHex, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { personaAddressFor } from '../persona/personaAddress.js';
import { GROUP_ID_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../protocol/frames.js';
import type { GroupOperation, GroupPolicy } from '../protocol/gen/kindred_pb.js';
import {
  GroupOperationSchema,
  GroupPosting,
  SignedGroupOperationSchema,
} from '../protocol/gen/kindred_pb.js';
import { verifyIdentitySignature } from '../protocol/relayAuth.js';
import type {
  GroupInviteState,
  GroupMemberState,
  GroupPolicyState,
  GroupPostingRule,
  GroupState,
} from './GroupState.js';
import { ROLE_RANK } from './GroupState.js';
import { PersistentMap, PersistentSet } from './PersistentMap.js';
import { applyScheduleCancel, applyScheduleChat } from './scheduleRules.js';
import { applyTopicCreate, applyTopicMove, applyTopicUpdate } from './topicRules.js';
import { MAX_SEALED_PROFILE_BYTES, applySetProfile } from './profileRules.js';
import {
  checkSealed,
  checkTarget,
  GROUP_MESSAGE_ID_BYTES,
  invalid,
  memberOf,
  messageIdOf,
  missingCase,
  optionalKey,
  outranked,
  requireActor,
  requireRank,
} from './ruleChecks.js';
import {
  withEntry,
  withMember,
  without,
  withoutInvite,
  withoutInvitesBy,
} from './groupStateEdits.js';

export { GROUP_MESSAGE_ID_BYTES, MAX_SEALED_PROFILE_BYTES };

/** Unknown fields are dropped, so bytes carrying extras fail the canonical-encoding check. */
const STRICT = { readUnknownFields: false } as const;

export const GROUP_INVITE_ID_BYTES = 16;
export const LOG_KEY_BYTES = 32;
const HASH_BYTES = 32;
const OPERATION_VERSION = 1;
/** Sealed blobs are small: a name, a description, rules, a reason, a profile. */
export const MAX_SEALED_INFO_BYTES = 16 * 1024;
export const MAX_SEALED_REASON_BYTES = 2048;
/** A sealed 32-byte secret: nonce, secret and tag, with room to spare. */
export const MAX_SEALED_SECRET_BYTES = 128;
export const JOIN_KEY_BYTES = 32;
export const MAX_INVITE_USES = 10_000;
export const MAX_PINNED = 50;
/** A slow-mode interval of at most a day. */
export const MAX_SLOW_MODE_SECONDS = 24 * 60 * 60;
/**
 * Disappearing messages: a timer of 5 minutes .. 4 weeks (0 = off). The minimum can be lowered
 * only through GroupRuleContext.minDisappearingSeconds, which tests use; users keep this one.
 */
export const MIN_DISAPPEARING_SECONDS = 5 * 60;
export const MAX_DISAPPEARING_SECONDS = 28 * 24 * 60 * 60;
/** How far an operation's own clock may be from the relay's when the relay checks it. */
export const OPERATION_CLOCK_SKEW_MS = 5 * 60 * 1000;

const OPERATION_CONTEXT = utf8('kindred-group-op-v1');
const JOIN_CONTEXT = utf8('kindred-group-join-v1');

export type GroupAction = NonNullable<GroupOperation['action']['case']>;

/** A decoded operation whose signature and shape have been checked. */
export interface GroupOperationView {
  readonly groupId: Uint8Array;
  readonly sequence: number;
  readonly previous: Uint8Array;
  readonly createdAt: number;
  readonly actor: Uint8Array;
  readonly actorAddress: string;
  readonly sealedReason: Uint8Array;
  readonly action: GroupOperation['action'];
}

export interface AppliedGroupOperation {
  readonly state: GroupState;
  readonly operation: GroupOperationView;
  /** SHA-256 of the signed operation: the new head. */
  readonly hash: Uint8Array;
}

/** What the relay supplies that a client replaying the log does not: its clock. */
export interface GroupRuleContext {
  /** When given, the operation's createdAt must be within OPERATION_CLOCK_SKEW_MS of it. */
  readonly now?: number;
  /**
   * The shortest disappearing-messages timer accepted (seconds). Default
   * MIN_DISAPPEARING_SECONDS; only tests lower it, on the relay and every client alike.
   */
  readonly minDisappearingSeconds?: number;
}

/**
 * The seam between the rules and whoever enforces them. The relay takes one as an option so tests
 * can build a deliberately malicious relay; clients always use GROUP_RULES.
 */
export interface GroupRules {
  apply(
    state: GroupState | undefined,
    signed: Uint8Array,
    context?: GroupRuleContext,
  ): AppliedGroupOperation;
  checkPost(state: GroupState, address: string, now: number, lastPostAt: number | undefined): void;
  slowModeWaitMs(state: GroupState, lastPostAt: number | undefined, now: number): number;
}

/** SHA-256 of a signed operation: what the next operation names as `previous`. */
export function groupOperationHash(signed: Uint8Array): Uint8Array {
  return ownedBytes(createHash('sha256').update(signed).digest());
}

/** The relay keeps only this hash of the log key. */
export function logKeyHash(logKey: Uint8Array): Uint8Array {
  return ownedBytes(createHash('sha256').update(logKey).digest());
}

/** What an operation's actor signs. */
export function groupOperationSigningBytes(operation: Uint8Array): Uint8Array {
  return concatBytes(OPERATION_CONTEXT, operation);
}

/** What an invite's private key signs so that `actor` may join with it. */
export function groupJoinSigningBytes(
  groupId: Uint8Array,
  inviteId: Uint8Array,
  actor: Uint8Array,
): Uint8Array {
  return concatBytes(JOIN_CONTEXT, groupId, inviteId, actor);
}

/**
 * Decodes a SignedGroupOperation and checks everything that needs no state: canonical encoding,
 * version, field sizes, and the actor's signature. CORE_GROUP_OPERATION_INVALID otherwise.
 */
export function decodeGroupOperation(
  signed: Uint8Array,
): GroupOperationView & { hash: Uint8Array } {
  let operation: GroupOperation;
  let operationBytes: Uint8Array;
  let signature: Uint8Array;
  try {
    const envelope = fromBinary(SignedGroupOperationSchema, signed, STRICT);
    operationBytes = envelope.operation;
    signature = envelope.signature;
    operation = fromBinary(GroupOperationSchema, operationBytes, STRICT);
    // One operation has one encoding, so one hash: a re-encoded copy is not the same operation.
    if (
      !bytesEqual(toBinary(SignedGroupOperationSchema, envelope), signed) ||
      !bytesEqual(toBinary(GroupOperationSchema, operation), operationBytes)
    ) {
      throw invalid('is not canonically encoded');
    }
  } catch (error) {
    if (CoreError.is(error)) throw error;
    throw invalid('is malformed', error);
  }
  if (operation.version !== OPERATION_VERSION) throw invalid('has an unsupported version');
  if (operation.groupId.length !== GROUP_ID_BYTES) throw invalid('has a malformed group id');
  if (operation.actor.length !== PUBLIC_KEY_BYTES) throw invalid('has a malformed actor');
  if (signature.length !== SIGNATURE_BYTES) throw invalid('has a malformed signature');
  if (operation.sequence > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('has a bad sequence');
  if (operation.createdAt > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('has a bad time');
  const sequence = Number(operation.sequence);
  if (sequence === 0 ? operation.previous.length !== 0 : operation.previous.length !== HASH_BYTES) {
    throw invalid('names a malformed previous operation');
  }
  if (operation.sealedReason.length > MAX_SEALED_REASON_BYTES) throw invalid('has a long reason');
  if (operation.action.case === undefined) throw invalid('has no action');
  if (
    !verifyIdentitySignature(operation.actor, groupOperationSigningBytes(operationBytes), signature)
  ) {
    throw invalid('signature does not verify');
  }
  let actorAddress: string;
  try {
    actorAddress = personaAddressFor(operation.actor);
  } catch (error) {
    throw invalid('has a malformed actor', error);
  }
  return {
    groupId: ownedBytes(operation.groupId),
    sequence,
    previous: ownedBytes(operation.previous),
    createdAt: Number(operation.createdAt),
    actor: ownedBytes(operation.actor),
    actorAddress,
    sealedReason: ownedBytes(operation.sealedReason),
    action: operation.action,
    hash: groupOperationHash(signed),
  };
}

/**
 * The one function that decides whether an operation is valid in a state, and the state it leads
 * to. Pure: the same log always gives the same state, on the relay and on every client. Throws a
 * CoreError with a CORE_GROUP_* code and leaves `state` untouched when the operation is refused.
 */
export function applyGroupOperation(
  state: GroupState | undefined,
  signed: Uint8Array,
  context: GroupRuleContext = {},
): AppliedGroupOperation {
  const operation = decodeGroupOperation(signed);
  const { hash, ...view } = operation;
  if (
    context.now !== undefined &&
    Math.abs(operation.createdAt - context.now) > OPERATION_CLOCK_SKEW_MS
  ) {
    throw invalid('carries a time too far from the relay’s clock');
  }
  if (state === undefined) {
    if (operation.action.case !== 'create') {
      throw new CoreError(CoreErrorCode.GroupNotFound, 'a group log starts with create');
    }
    if (operation.sequence !== 0) throw invalid('create must be operation 0');
    return { state: applyCreate(operation, hash, context), operation: view, hash };
  }
  if (!bytesEqual(operation.groupId, state.groupId)) throw invalid('names another group');
  if (operation.sequence !== state.length || !bytesEqual(operation.previous, state.head)) {
    throw new CoreError(CoreErrorCode.GroupConflict, 'the operation does not extend the log head');
  }
  const next = applyAction(state, operation, context);
  return { state: { ...next, length: state.length + 1, head: hash }, operation: view, hash };
}

/** Throws unless `address` may post in the group now. */
export function checkGroupPost(
  state: GroupState,
  address: string,
  now: number,
  lastPostAt: number | undefined,
): void {
  const member = state.members.get(address);
  if (member === undefined) {
    throw new CoreError(CoreErrorCode.GroupNotMember, 'only members may post');
  }
  // Nothing is written under the old epoch after a departure: it waits for the rotation.
  if (state.rotationDue) {
    throw new CoreError(CoreErrorCode.GroupRotationDue, 'the group key is being changed');
  }
  if (member.mutedUntil > now)
    throw new CoreError(CoreErrorCode.GroupMuted, 'this member is muted');
  if (state.policy.posting === 'moderators' && member.role === 'member') {
    throw new CoreError(CoreErrorCode.GroupPostingRestricted, 'only moderators may post');
  }
  // Moderators keep the pace they need to steer a heated group.
  if (member.role === 'member' && slowModeWaitMs(state, lastPostAt, now) > 0) {
    throw new CoreError(CoreErrorCode.GroupSlowMode, 'slow mode: wait before posting again');
  }
}

/** How long a member must still wait under slow mode (0: may post now). */
export function slowModeWaitMs(
  state: GroupState,
  lastPostAt: number | undefined,
  now: number,
): number {
  if (state.policy.slowModeSeconds === 0 || lastPostAt === undefined) return 0;
  return Math.max(0, lastPostAt + state.policy.slowModeSeconds * 1000 - now);
}

export const GROUP_RULES: GroupRules = {
  apply: applyGroupOperation,
  checkPost: checkGroupPost,
  slowModeWaitMs,
};

function applyCreate(
  operation: GroupOperationView,
  hash: Uint8Array,
  context: GroupRuleContext,
): GroupState {
  if (operation.action.case !== 'create') throw invalid('is not a create');
  const create = operation.action.value;
  if (create.logKeyHash.length !== HASH_BYTES) throw invalid('has a malformed log key hash');
  checkSealed(create.sealedInfo, MAX_SEALED_INFO_BYTES, 'info');
  checkSealed(create.sealedProfile, MAX_SEALED_PROFILE_BYTES, 'profile');
  const joinKey = optionalKey(create.joinKey, JOIN_KEY_BYTES, 'join key');
  const logKeyHash = ownedBytes(create.logKeyHash);
  const owner: GroupMemberState = {
    address: operation.actorAddress,
    identityKey: operation.actor,
    role: 'owner',
    mutedUntil: 0,
    sealedProfile: ownedBytes(create.sealedProfile),
    since: 0,
  };
  return {
    groupId: operation.groupId,
    length: 1,
    head: hash,
    createdAt: operation.createdAt,
    logKeyHash,
    epoch: 0,
    epochs: [{ epoch: 0, logKeyHash, startSequence: 0, joinKey }],
    rotationDue: false,
    sealedInfo: ownedBytes(create.sealedInfo),
    policy: policyFrom(create.policy, context),
    members: PersistentMap.from([[owner.address, owner]]),
    requests: PersistentMap.empty(),
    banned: PersistentSet.empty(),
    invites: PersistentMap.empty(),
    pinned: [],
    deleted: PersistentSet.empty(),
  };
}

/** Applies a non-create action; `length` and `head` are set by the caller. */
function applyAction(
  state: GroupState,
  operation: GroupOperationView,
  context: GroupRuleContext,
): GroupState {
  const action = operation.action;
  const actor = state.members.get(operation.actorAddress);
  if (state.rotationDue && !ALLOWED_WHILE_ROTATION_DUE.has(action.case)) {
    throw new CoreError(
      CoreErrorCode.GroupRotationDue,
      'a member is gone: the group secret must be rotated first',
    );
  }
  switch (action.case) {
    case 'create':
      throw new CoreError(CoreErrorCode.GroupConflict, 'the group already exists');
    case 'join':
      return applyJoin(state, operation, action.value);
    case 'leave': {
      // A requester may withdraw its request.
      if (actor === undefined && state.requests.has(operation.actorAddress)) {
        return { ...state, requests: without(state.requests, operation.actorAddress) };
      }
      const member = requireActor(actor);
      if (member.role === 'owner') {
        throw new CoreError(
          CoreErrorCode.GroupForbidden,
          'the owner transfers ownership before leaving',
        );
      }
      return withoutInvitesBy(
        { ...state, members: without(state.members, member.address), rotationDue: true },
        member.address,
        member.role,
      );
    }
    case 'rotateEpoch':
      return applyRotateEpoch(state, operation, actor, action.value);
    case 'topicCreate':
      return applyTopicCreate(state, { actor, sequence: operation.sequence }, action.value);
    case 'setProfile':
      return applySetProfile(state, actor, action.value);
    case undefined:
      throw invalid('has no action');
    default:
      break;
  }
  // Everything below is a moderator's or the owner's act.
  const moderator = requireRank(actor, 'moderator');
  switch (action.case) {
    case 'invite': {
      const invite = action.value;
      if (invite.inviteId.length !== GROUP_INVITE_ID_BYTES)
        throw invalid('has a malformed invite id');
      if (invite.inviteKey.length !== PUBLIC_KEY_BYTES) throw invalid('has a malformed invite key');
      if (invite.maxUses < 1 || invite.maxUses > MAX_INVITE_USES)
        throw invalid('has a bad use limit');
      if (
        invite.expiresAt > BigInt(Number.MAX_SAFE_INTEGER) ||
        Number(invite.expiresAt) <= operation.createdAt
      ) {
        throw invalid('has a bad expiry');
      }
      const readKeyHash = optionalKey(invite.readKeyHash, HASH_BYTES, 'read key hash');
      if (invite.sealedWelcome.length > MAX_SEALED_INFO_BYTES) throw invalid('has a long welcome');
      const key = toHex(invite.inviteId);
      if (state.invites.has(key))
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'invite id in use');
      const invites = withEntry(state.invites, key, {
        inviteId: ownedBytes(invite.inviteId),
        inviteKey: ownedBytes(invite.inviteKey),
        createdBy: moderator.address,
        expiresAt: Number(invite.expiresAt),
        maxUses: invite.maxUses,
        uses: 0,
        readKeyHash,
        sealedWelcome: ownedBytes(invite.sealedWelcome),
      });
      return { ...state, invites };
    }
    case 'approve': {
      const request = state.requests.get(checkTarget(action.value.member));
      if (request === undefined)
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'no such request');
      const members = withEntry<GroupMemberState>(state.members, request.address, {
        address: request.address,
        identityKey: request.identityKey,
        role: 'member',
        mutedUntil: 0,
        sealedProfile: request.sealedProfile,
        since: state.length,
        inviteId: request.inviteId,
      });
      return { ...state, members, requests: without(state.requests, request.address) };
    }
    case 'deny': {
      const address = checkTarget(action.value.member);
      if (!state.requests.has(address))
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'no such request');
      return { ...state, requests: without(state.requests, address) };
    }
    case 'remove': {
      const target = outranked(state, moderator, action.value.member);
      return withoutInvitesBy(
        withoutInvite(
          { ...state, members: without(state.members, target.address), rotationDue: true },
          target.inviteId,
        ),
        target.address,
        target.role,
      );
    }
    case 'ban': {
      const address = checkTarget(action.value.member);
      if (state.banned.has(address))
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'already banned');
      const member = state.members.get(address);
      const request = state.requests.get(address);
      if (member !== undefined) outranked(state, moderator, address);
      else if (request === undefined) {
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'only members and requesters are banned');
      }
      // A requester never held the group secret: only a member's ban needs a new epoch. Either
      // way the invite it came with dies (a multi-use link may still be in its hands).
      return withoutInvitesBy(
        withoutInvite(
          {
            ...state,
            members: without(state.members, address),
            requests: without(state.requests, address),
            banned: PersistentSet.from(state.banned).with(address),
            rotationDue: state.rotationDue || member !== undefined,
          },
          member?.inviteId ?? request?.inviteId,
        ),
        address,
        state.members.get(address)?.role,
      );
    }
    case 'unban': {
      const address = checkTarget(action.value.member);
      if (!state.banned.has(address))
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'not banned');
      return { ...state, banned: PersistentSet.from(state.banned).without(address) };
    }
    case 'mute': {
      const target = outranked(state, moderator, action.value.member);
      if (action.value.until > BigInt(Number.MAX_SAFE_INTEGER))
        throw invalid('has a bad mute time');
      return withMember(state, { ...target, mutedUntil: Number(action.value.until) });
    }
    case 'promote': {
      requireRank(actor, 'owner');
      const target = memberOf(state, action.value.member);
      if (target.role !== 'member')
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'not a plain member');
      return withMember(state, { ...target, role: 'moderator', mutedUntil: 0 });
    }
    case 'demote': {
      requireRank(actor, 'owner');
      const target = memberOf(state, action.value.member);
      if (target.role !== 'moderator')
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'not a moderator');
      return withoutInvitesBy(
        withMember(state, { ...target, role: 'member' }),
        target.address,
        target.role,
      );
    }
    case 'transferOwnership': {
      const owner = requireRank(actor, 'owner');
      const target = memberOf(state, action.value.member);
      if (target.address === owner.address)
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'already the owner');
      const next = withMember(state, { ...target, role: 'owner', mutedUntil: 0 });
      return withMember(next, { ...owner, role: 'moderator' });
    }
    case 'setInfo':
      checkSealed(action.value.sealedInfo, MAX_SEALED_INFO_BYTES, 'info');
      return { ...state, sealedInfo: ownedBytes(action.value.sealedInfo) };
    case 'pin': {
      const id = messageIdOf(action.value.messageId);
      if (state.pinned.includes(id))
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'already pinned');
      if (state.deleted.has(id)) throw new CoreError(CoreErrorCode.GroupBadTarget, 'deleted');
      if (state.pinned.length >= MAX_PINNED)
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'too many pins');
      return { ...state, pinned: [...state.pinned, id] };
    }
    case 'unpin': {
      const id = messageIdOf(action.value.messageId);
      if (!state.pinned.includes(id))
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'not pinned');
      return { ...state, pinned: state.pinned.filter((pinned) => pinned !== id) };
    }
    case 'deleteMessage': {
      const id = messageIdOf(action.value.messageId);
      if (state.deleted.has(id))
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'already deleted');
      return {
        ...state,
        deleted: PersistentSet.from(state.deleted).with(id),
        pinned: state.pinned.filter((pinned) => pinned !== id),
      };
    }
    case 'setPolicy':
      return { ...state, policy: policyFrom(action.value, context) };
    case 'scheduleChat':
      return applyScheduleChat(state, moderator, action.value);
    case 'cancelScheduledChat':
      return applyScheduleCancel(state, action.value);
    case 'topicUpdate':
      return applyTopicUpdate(state, { actor, sequence: operation.sequence }, action.value);
    case 'topicMove':
      return applyTopicMove(state, action.value);
    default:
      return missingCase(action);
  }
}

function applyJoin(
  state: GroupState,
  operation: GroupOperationView,
  join: Extract<GroupOperation['action'], { case: 'join' }>['value'],
): GroupState {
  const address = operation.actorAddress;
  if (state.banned.has(address))
    throw new CoreError(CoreErrorCode.GroupBanned, 'banned from this group');
  if (state.members.has(address) || state.requests.has(address)) {
    throw new CoreError(CoreErrorCode.GroupBadTarget, 'already a member or waiting for approval');
  }
  checkSealed(join.sealedProfile, MAX_SEALED_PROFILE_BYTES, 'profile');
  const invite = state.invites.get(toHex(join.inviteId));
  if (invite === undefined) throw new CoreError(CoreErrorCode.GroupInviteInvalid, 'unknown invite');
  if (operation.createdAt >= invite.expiresAt) {
    throw new CoreError(CoreErrorCode.GroupInviteInvalid, 'the invite has expired');
  }
  if (invite.uses >= invite.maxUses) {
    throw new CoreError(CoreErrorCode.GroupInviteInvalid, 'the invite has been used up');
  }
  // Invites die with their creator's right to invite (withoutInvitesBy); this is a second check.
  const creator = state.members.get(invite.createdBy);
  if (creator === undefined || ROLE_RANK[creator.role] < ROLE_RANK.moderator) {
    throw new CoreError(
      CoreErrorCode.GroupInviteInvalid,
      'the invite’s creator may no longer invite',
    );
  }
  if (
    !verifyIdentitySignature(
      invite.inviteKey,
      groupJoinSigningBytes(state.groupId, invite.inviteId, operation.actor),
      join.inviteSignature,
    )
  ) {
    throw new CoreError(CoreErrorCode.GroupInviteInvalid, 'the invite signature does not verify');
  }
  const invites = withEntry(state.invites, toHex(invite.inviteId), {
    ...invite,
    uses: invite.uses + 1,
  });
  const sealedProfile = ownedBytes(join.sealedProfile);
  if (state.policy.joinByApproval) {
    const requests = withEntry(state.requests, address, {
      address,
      identityKey: operation.actor,
      sealedProfile,
      requestedAtSequence: state.length,
      inviteId: toHex(invite.inviteId),
    });
    return { ...state, invites, requests };
  }
  const members = withEntry<GroupMemberState>(state.members, address, {
    address,
    identityKey: operation.actor,
    role: 'member',
    mutedUntil: 0,
    sealedProfile,
    since: state.length,
    inviteId: toHex(invite.inviteId),
  });
  return { ...state, invites, members };
}

/** Actions the rules still take while a rotation is due (departures keep it due). */
const ALLOWED_WHILE_ROTATION_DUE: ReadonlySet<GroupAction | undefined> = new Set<
  GroupAction | undefined
>(['rotateEpoch', 'remove', 'ban', 'leave']);

/**
 * The next epoch. A moderator or the owner may rotate at any time (and only they may revoke every
 * open invite with it: "reset invite links"); any member may when a rotation is due, so a
 * departure never waits for a moderator to come online.
 */
function applyRotateEpoch(
  state: GroupState,
  operation: GroupOperationView,
  actor: GroupMemberState | undefined,
  rotate: Extract<GroupOperation['action'], { case: 'rotateEpoch' }>['value'],
): GroupState {
  const member = requireActor(actor);
  if (!state.rotationDue || rotate.revokeInvites) requireRank(member, 'moderator');
  if (rotate.epoch !== BigInt(state.epoch + 1)) throw invalid('names the wrong epoch');
  if (rotate.logKeyHash.length !== HASH_BYTES) throw invalid('has a malformed log key hash');
  checkSealed(rotate.sealedPreviousSecret, MAX_SEALED_SECRET_BYTES, 'previous secret');
  if (rotate.joinKey.length !== JOIN_KEY_BYTES) throw invalid('has a malformed join key');
  const epoch = state.epoch + 1;
  const logKeyHash = ownedBytes(rotate.logKeyHash);
  return {
    ...state,
    epoch,
    epochs: [
      ...state.epochs,
      { epoch, logKeyHash, startSequence: operation.sequence, joinKey: ownedBytes(rotate.joinKey) },
    ],
    logKeyHash,
    rotationDue: false,
    invites: rotate.revokeInvites ? PersistentMap.empty() : state.invites,
  };
}

/**
 * Whether an invite still opens anything: registered and not revoked, not expired by `now`, with
 * uses left (or a request made with it still waiting, so the requester can see its answer), and
 * made by someone who is still a moderator. The same liveness the join rules apply; the relay
 * serves the log to the invite's read key only while it holds.
 */
export function isInviteLive(state: GroupState, invite: GroupInviteState, now: number): boolean {
  const id = toHex(invite.inviteId);
  if (!state.invites.has(id)) return false;
  if (now >= invite.expiresAt) return false;
  const creator = state.members.get(invite.createdBy);
  if (creator === undefined || ROLE_RANK[creator.role] < ROLE_RANK.moderator) return false;
  if (invite.uses < invite.maxUses) return true;
  for (const request of state.requests.values()) if (request.inviteId === id) return true;
  return false;
}

/** The epoch in effect at `sequence` (an operation at a rotation's sequence is in the new one). */
export function epochAt(state: GroupState, sequence: number): number {
  for (let index = state.epochs.length - 1; index > 0; index--) {
    const epoch = state.epochs[index];
    if (epoch !== undefined && epoch.startSequence <= sequence) return epoch.epoch;
  }
  return 0;
}

function policyFrom(policy: GroupPolicy | undefined, context: GroupRuleContext): GroupPolicyState {
  if (policy === undefined) {
    return {
      joinByApproval: false,
      slowModeSeconds: 0,
      posting: 'everyone',
      disappearingSeconds: 0,
      requireImageWarnings: false,
    };
  }
  if (policy.slowModeSeconds > MAX_SLOW_MODE_SECONDS) throw invalid('has too long a slow mode');
  const timer = policy.disappearingSeconds;
  const minimum = context.minDisappearingSeconds ?? MIN_DISAPPEARING_SECONDS;
  if (timer !== 0 && (timer < minimum || timer > MAX_DISAPPEARING_SECONDS)) {
    throw invalid('has a disappearing-messages timer outside 5 minutes .. 4 weeks');
  }
  return {
    joinByApproval: policy.joinByApproval,
    slowModeSeconds: policy.slowModeSeconds,
    posting: postingFrom(policy.posting),
    disappearingSeconds: timer,
    requireImageWarnings: policy.requireImageWarnings,
    ...(policy.membersCreateTopics ? { membersCreateTopics: true } : {}),
    ...(policy.membersMessagePrivately ? { membersMessagePrivately: true } : {}),
  };
}

function postingFrom(posting: GroupPosting): GroupPostingRule {
  switch (posting) {
    case GroupPosting.UNSPECIFIED:
    case GroupPosting.EVERYONE:
      return 'everyone';
    case GroupPosting.MODERATORS:
      return 'moderators';
    default:
      throw invalid('has an unknown posting rule');
  }
}
