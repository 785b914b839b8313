import type { GroupMemberState, GroupRole, GroupState } from './GroupState.js';
import { ROLE_RANK } from './GroupState.js';
import { PersistentMap } from './PersistentMap.js';

/**
 * Changes to a group state that rules make, each returning a new state and leaving the old one
 * as it was.
 */

export function withMember(state: GroupState, member: GroupMemberState): GroupState {
  return { ...state, members: withEntry(state.members, member.address, member) };
}

/**
 * Drops the invites a persona made: when it stops being a moderator they die for good, and do not
 * come back if it is made one again. Every invite's creator is a moderator or the owner (this
 * function keeps it so), so a plain member or a requester has none to drop and costs no scan.
 */
export function withoutInvitesBy(
  state: GroupState,
  address: string,
  formerRole: GroupRole | undefined,
): GroupState {
  if (formerRole === undefined || ROLE_RANK[formerRole] < ROLE_RANK.moderator) return state;
  let invites = PersistentMap.from(state.invites);
  for (const [key, invite] of state.invites) {
    if (invite.createdBy === address) invites = invites.without(key);
  }
  return invites.size === state.invites.size ? state : { ...state, invites };
}

/*
 * Every collection in a state is persistent (PersistentMap.ts): a change returns a new one in
 * O(log32 n) and shares the rest, so the state it was applied to stays exactly as it was and
 * replaying a log costs O(n). A plain Map or Set (as a test or an older build may hand in) is
 * converted once, on its first change.
 */

export function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): PersistentMap<V> {
  return PersistentMap.from(map).with(key, value);
}

/** Drops one invite (revoked), if it is still open. */
export function withoutInvite(state: GroupState, inviteId: string | undefined): GroupState {
  if (inviteId === undefined || !state.invites.has(inviteId)) return state;
  return { ...state, invites: without(state.invites, inviteId) };
}

export function without<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  if (!map.has(key)) return map;
  return PersistentMap.from(map).without(key);
}
