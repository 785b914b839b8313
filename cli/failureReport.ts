import {
  CoreError,
  CoreErrorCode,
  RelayErrorCode,
  RelayRejectedError,
  coreCodeForRelayRefusal,
} from '../core/client/index.js';
import { CliError, CliErrorCode } from './CliError.js';

/** What the command line reports for a failure: one line on stderr, and the exit code. */
export interface FailureReport {
  readonly code: string;
  readonly message: string;
  readonly exitCode: number;
}

/** Group failures, as a person running a command needs them explained. No user data in any. */
const GROUP_EXPLANATIONS: Partial<Record<CoreErrorCode, string>> = {
  [CoreErrorCode.GroupNotFound]: 'no such group here (`kindred group list` shows yours)',
  [CoreErrorCode.GroupNotMember]:
    'you are not a member of this group (removed, banned, left, or not approved yet)',
  [CoreErrorCode.GroupForbidden]: 'your role in this group does not allow that',
  [CoreErrorCode.GroupBadTarget]: 'that member or message is not in a state this applies to',
  [CoreErrorCode.GroupBanned]: 'you are banned from this group',
  [CoreErrorCode.GroupMuted]: 'you are muted in this group for now',
  [CoreErrorCode.GroupSlowMode]: 'slow mode is on in this group: wait before posting again',
  [CoreErrorCode.GroupRotationDue]:
    'a member just left or was removed: the group key is being changed, try again in a moment',
  [CoreErrorCode.GroupKeyMissing]:
    'waiting for a member to share the group key with you (a moderator’s client sends it)',
  [CoreErrorCode.GroupPostingRestricted]: 'only moderators may post in this group',
  [CoreErrorCode.GroupInviteInvalid]: 'the group invite is unknown, expired, used up or forged',
  [CoreErrorCode.GroupConflict]: 'the group changed while this ran; try again',
  [CoreErrorCode.GroupOperationInvalid]: 'the group change is malformed or wrongly signed',
  [CoreErrorCode.InviteUsedUp]: 'this link was already used; ask its owner for a new one',
  [CoreErrorCode.InviteExpired]: 'this link has expired; ask its owner for a new one',
  [CoreErrorCode.ContactRefused]:
    'not connected: their link was already used when you added them; ask them for a new one',
  [CoreErrorCode.MessageNotFailed]:
    'that message is not waiting to be sent again (`kindred messages` shows which are failed)',
  [CoreErrorCode.ScheduleInvalid]:
    'that chat cannot be scheduled (check the start, duration, repeats, prompts and their offsets)',
  [CoreErrorCode.ScheduleNotFound]:
    'no such scheduled chat or occurrence in this group (`kindred group schedule list`)',
  [CoreErrorCode.ScheduleNotRunning]:
    'that chat is not running now, or its prompt has not been asked yet',
  [CoreErrorCode.TopicNotFound]:
    'the group has no such topic (`kindred group topic list GROUP` shows them)',
  [CoreErrorCode.TopicClosed]: 'a moderator closed this topic to new messages',
  [CoreErrorCode.ListingInvalid]: 'the directory listing does not check out (see the reason)',
  [CoreErrorCode.CredentialInvalid]: 'the facilitator credential does not check out',
  [CoreErrorCode.DirectoryOperatorUnendorsed]:
    'the relay’s operator key is not endorsed by the trust root you pinned: its directory is refused',
  [CoreErrorCode.DirectoryNotFollowed]:
    'no such followed directory (`kindred directory list` shows them)',
  [CoreErrorCode.ListingNotFound]:
    'no such listing in the directories kept here (`kindred directory refresh`, then search)',
};

/** Relay group refusals with no counterpart in core. */
const RELAY_GROUP_EXPLANATIONS: Partial<Record<string, string>> = {
  [RelayErrorCode.GroupFull]: 'the group is full',
  [RelayErrorCode.TooManyGroups]: 'this persona is in as many groups as the relay allows',
  [RelayErrorCode.GroupCapReached]:
    'the group reached a limit on this relay (log length, deleted messages, open invites or waiting requests)',
  [RelayErrorCode.GroupMessageTooLarge]: 'the message is too large for the group',
  [RelayErrorCode.GroupLogKey]: 'the relay does not accept this group’s key',
  [RelayErrorCode.GroupExists]: 'a group with that id exists already; try again',
  [RelayErrorCode.QuotaExceeded]:
    'this persona or group has used what the relay allows for now; try again later',
  [RelayErrorCode.StorageFull]: 'the relay is out of storage space; try again later',
};

/**
 * Exit 2 for bad arguments, 1 for any other failure. Messages of CoreErrors carry no user data
 * (nor do the CLI's), and anything unexpected is reported by code only.
 */
export function describeFailure(error: unknown): FailureReport {
  if (error instanceof CliError) {
    return {
      code: error.code,
      message: error.message,
      exitCode: error.code === CliErrorCode.Usage ? 2 : 1,
    };
  }
  if (RelayRejectedError.isRelayRejection(error)) {
    // Scripts see one code whichever side noticed.
    const code = coreCodeForRelayRefusal(error.relayCode);
    if (code !== undefined) {
      const explanation = GROUP_EXPLANATIONS[code] ?? error.message;
      return { code, message: `${explanation} (the relay said ${error.relayCode})`, exitCode: 1 };
    }
    const explanation = RELAY_GROUP_EXPLANATIONS[error.relayCode];
    if (explanation !== undefined) {
      return {
        code: error.code,
        message: `${explanation} (the relay said ${error.relayCode})`,
        exitCode: 1,
      };
    }
    return { code: error.code, message: error.message, exitCode: 1 };
  }
  if (CoreError.is(error) && error.code === CoreErrorCode.AttachmentNotCleaned) {
    return {
      code: error.code,
      message: `${error.message}. Nothing was sent. --send-uncleaned sends such a file as it is, WITH its hidden details (author, camera, location)`,
      exitCode: 1,
    };
  }
  if (CoreError.is(error)) {
    const explanation = GROUP_EXPLANATIONS[error.code];
    return {
      code: error.code,
      message: explanation === undefined ? error.message : `${explanation}: ${error.message}`,
      exitCode: 1,
    };
  }
  return { code: CoreErrorCode.Internal, message: 'unexpected failure', exitCode: 1 };
}
