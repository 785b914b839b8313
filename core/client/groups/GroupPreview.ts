import { bytesEqual, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupInviteLinkData } from '../../groups/GroupInviteLink.js';
import type { GroupRuleContext } from '../../groups/GroupRules.js';
import { applyGroupOperation } from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupState } from '../../groups/GroupState.js';
import { RelayErrorCode } from '../../protocol/RelayErrorCode.js';
import type { RelayConnection } from '../RelayConnection.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import { openGroupInfo } from './groupCodec.js';

/**
 * What an invite link shows before anyone joins with it: what its own welcome holds (the group's
 * name, description and rules, sealed to the invite's key) and whether a moderator must approve
 * a join (the policy, plaintext in the log). Nothing else: no member, no message, no count.
 */
export interface GroupPreview {
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly rules: string;
  readonly joinByApproval: boolean;
}

/** Stops a preview that never ends (a relay paging forever). */
const PAGE_GUARD = 10_000;

/**
 * Reads the group's log with the invite's read key (as a joiner does before it joins), checks
 * every operation with the group rules, and opens the welcome of the link's own invite. Stores
 * nothing. CORE_GROUP_INVITE_INVALID when the relay no longer serves the log to this invite
 * (used up, expired or revoked) or the log holds no welcome for it.
 */
export async function previewGroupInvite(
  connection: () => Promise<RelayConnection>,
  link: GroupInviteLinkData,
  context: GroupRuleContext,
): Promise<GroupPreview> {
  const inviteSecret = GroupSecret.forInvite(link.invitePrivateKey);
  const logKey = inviteSecret.logKey();
  let state: GroupState | undefined;
  for (let guard = 0; guard < PAGE_GUARD; guard++) {
    const from = state?.length ?? 0;
    let page;
    try {
      page = await (
        await connection()
      ).request(
        {
          case: 'fetchGroupLog',
          value: { groupId: link.groupId, logKey, fromSequence: BigInt(from) },
        },
        'groupLogPage',
      );
    } catch (error) {
      if (
        RelayRejectedError.isRelayRejection(error) &&
        (error.relayCode === RelayErrorCode.GroupLogKey ||
          error.relayCode === RelayErrorCode.GroupNotFound)
      ) {
        throw new CoreError(
          CoreErrorCode.GroupInviteInvalid,
          'the invite no longer opens the group (used up, expired or revoked)',
          { cause: error },
        );
      }
      throw error;
    }
    for (const signed of page.operations) {
      state = applyGroupOperation(state, signed, context).state;
    }
    if (page.operations.length === 0 || (state?.length ?? 0) >= Number(page.logLength)) break;
  }
  if (state === undefined || !bytesEqual(state.groupId, link.groupId)) {
    throw new CoreError(CoreErrorCode.GroupInviteInvalid, 'the invite no longer opens the group');
  }
  const invite = state.invites.get(toHex(link.inviteId));
  if (invite === undefined || invite.sealedWelcome.length === 0) {
    throw new CoreError(
      CoreErrorCode.GroupInviteInvalid,
      'the log holds no welcome for this invite (an invite made before previews existed?)',
    );
  }
  const info = await openGroupInfo(inviteSecret, link.groupId, invite.sealedWelcome);
  return {
    groupId: toHex(link.groupId),
    name: info.name,
    description: info.description,
    rules: info.rules,
    joinByApproval: state.policy.joinByApproval,
  };
}
