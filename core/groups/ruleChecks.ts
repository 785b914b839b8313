import { ownedBytes, toHex } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { isPersonaAddress } from '../persona/personaAddress.js';
import type { GroupMemberState, GroupRole, GroupState } from './GroupState.js';
import { ROLE_RANK } from './GroupState.js';

/**
 * The checks group rules share (GroupRules, topicRules, scheduleRules): who may act on whom, and
 * the shape of what an operation names. Each throws a CoreError with the code a client shows.
 */

/** Bytes of a group message id; an operation naming a message names it with this many. */
export const GROUP_MESSAGE_ID_BYTES = 16;

export function requireActor(actor: GroupMemberState | undefined): GroupMemberState {
  if (actor === undefined)
    throw new CoreError(CoreErrorCode.GroupForbidden, 'the actor is not a member');
  return actor;
}

export function requireRank(
  actor: GroupMemberState | undefined,
  role: GroupRole,
): GroupMemberState {
  const member = requireActor(actor);
  if (ROLE_RANK[member.role] < ROLE_RANK[role]) {
    throw new CoreError(CoreErrorCode.GroupForbidden, `only a ${role} or above may do this`);
  }
  return member;
}

export function memberOf(state: GroupState, target: string): GroupMemberState {
  const member = state.members.get(checkTarget(target));
  if (member === undefined)
    throw new CoreError(CoreErrorCode.GroupBadTarget, 'the target is not a member');
  return member;
}

/** The target member, when the actor outranks them (a moderator never acts on a moderator). */
export function outranked(
  state: GroupState,
  actor: GroupMemberState,
  target: string,
): GroupMemberState {
  const member = memberOf(state, target);
  if (ROLE_RANK[actor.role] <= ROLE_RANK[member.role]) {
    throw new CoreError(CoreErrorCode.GroupForbidden, 'the actor does not outrank the target');
  }
  return member;
}

export function checkTarget(target: string): string {
  if (!isPersonaAddress(target)) throw invalid('names a malformed member address');
  return target;
}

export function messageIdOf(messageId: Uint8Array): string {
  if (messageId.length !== GROUP_MESSAGE_ID_BYTES) throw invalid('names a malformed message id');
  return toHex(messageId);
}

/** Empty, or exactly `length` bytes. */
export function optionalKey(key: Uint8Array, length: number, what: string): Uint8Array {
  if (key.length !== 0 && key.length !== length) throw invalid(`has a malformed ${what}`);
  return ownedBytes(key);
}

export function checkSealed(sealed: Uint8Array, max: number, what: string): void {
  if (sealed.length === 0 || sealed.length > max) throw invalid(`has a malformed sealed ${what}`);
}

export function invalid(reason: string, cause?: unknown): CoreError {
  return new CoreError(CoreErrorCode.GroupOperationInvalid, `group operation ${reason}`, { cause });
}

export function missingCase(value: never): never {
  throw new CoreError(CoreErrorCode.Internal, `unhandled case ${String(value)}`);
}
