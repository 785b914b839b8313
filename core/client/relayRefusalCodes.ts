import { CoreErrorCode } from '../errors/CoreError.js';
import { RelayErrorCode } from '../protocol/RelayErrorCode.js';

/**
 * The relay runs the group rules core runs, so its refusals by those rules mean what core's codes
 * mean: front ends report one code whichever side noticed.
 */
const CORE_CODE_OF_RELAY_REFUSAL: Readonly<Partial<Record<string, CoreErrorCode>>> = {
  [RelayErrorCode.GroupNotFound]: CoreErrorCode.GroupNotFound,
  [RelayErrorCode.GroupConflict]: CoreErrorCode.GroupConflict,
  [RelayErrorCode.GroupStale]: CoreErrorCode.GroupConflict,
  [RelayErrorCode.GroupInvalid]: CoreErrorCode.GroupOperationInvalid,
  [RelayErrorCode.GroupForbidden]: CoreErrorCode.GroupForbidden,
  [RelayErrorCode.GroupBadTarget]: CoreErrorCode.GroupBadTarget,
  [RelayErrorCode.GroupInviteInvalid]: CoreErrorCode.GroupInviteInvalid,
  [RelayErrorCode.GroupBanned]: CoreErrorCode.GroupBanned,
  [RelayErrorCode.GroupNotMember]: CoreErrorCode.GroupNotMember,
  [RelayErrorCode.GroupMuted]: CoreErrorCode.GroupMuted,
  [RelayErrorCode.GroupSlowMode]: CoreErrorCode.GroupSlowMode,
  [RelayErrorCode.GroupPostingRestricted]: CoreErrorCode.GroupPostingRestricted,
};

/**
 * The core code a relay refusal (a RelayRejectedError's `relayCode`) stands for, or undefined when
 * the refusal is the relay's own (rate limits, a full mailbox, a full group, ...).
 */
export function coreCodeForRelayRefusal(relayCode: string): CoreErrorCode | undefined {
  return CORE_CODE_OF_RELAY_REFUSAL[relayCode];
}
