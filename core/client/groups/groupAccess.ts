import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupState } from '../../groups/GroupState.js';
import type { PersonaState } from '../PersonaState.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import type { GroupInfoData } from './groupCodec.js';
import { openGroupInfo } from './groupCodec.js';
import type { GroupKeys } from './GroupKeys.js';
import type { GroupRecord } from './GroupStore.js';
import { groupIdFromHex } from './GroupStore.js';

/**
 * What the parts of a persona's groups (GroupSession, GroupMessaging, GroupReading) share: a group
 * named by its hex id, its current secret and its info. Free functions over the persona's state,
 * so each part holds only what it uses.
 */

/** A group's id from its hex form; undefined when it is not one. */
export function parseGroupId(text: string): Uint8Array | undefined {
  return typeof text === 'string' ? groupIdFromHex(text.trim()) : undefined;
}

/** The group `groupRef` (hex id) names: CORE_GROUP_NOT_FOUND when this persona lacks it. */
export async function resolveGroup(
  state: PersonaState,
  groupRef: string,
): Promise<{ groupId: Uint8Array; record: GroupRecord }> {
  const groupId = parseGroupId(groupRef);
  if (groupId === undefined) throw new CoreError(CoreErrorCode.GroupNotFound, 'not a group id');
  const record = await state.transact(() => state.groups.require(groupId));
  return { groupId, record };
}

/** The current epoch's secret; CORE_GROUP_KEY_MISSING while we wait for it. */
export async function currentSecret(
  state: PersonaState,
  keys: GroupKeys,
  groupId: Uint8Array,
  group: GroupState,
): Promise<GroupSecret> {
  const secret = await state.transact(() => keys.current(groupId, group));
  if (secret === undefined) {
    throw new CoreError(CoreErrorCode.GroupKeyMissing, 'waiting for the group key');
  }
  return secret;
}

/**
 * The group's info, opened with whichever epoch's secret sealed it; a joiner still waiting for
 * the group key sees the welcome its invite carries. Empty when nothing opens.
 */
export async function openInfo(
  state: PersonaState,
  keys: GroupKeys,
  groupId: Uint8Array,
  group: GroupState,
): Promise<GroupInfoData> {
  for (const secret of await keys.held(groupId, group)) {
    try {
      return await openGroupInfo(secret, groupId, group.sealedInfo);
    } catch {
      // Sealed under another epoch's secret.
    }
  }
  const inviteKey = await state.groups.inviteKey(groupId);
  if (inviteKey !== undefined) {
    const inviteSecret = GroupSecret.forInvite(inviteKey);
    for (const invite of group.invites.values()) {
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

/** An error that means the relay or our own rules refused an operation (not a lost answer). */
export function isGroupRefusal(error: unknown): boolean {
  return (
    RelayRejectedError.isRelayRejection(error) ||
    (CoreError.is(error) && error.code.startsWith('CORE_GROUP_'))
  );
}
