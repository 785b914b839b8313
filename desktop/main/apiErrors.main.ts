import {
  CoreError,
  CoreErrorCode,
  RelayErrorCode,
  RelayRejectedError,
  coreCodeForRelayRefusal,
} from '../../core/client/index.js';
import type { ApiError } from '../shared/api.std.js';
import { DesktopErrorCode } from '../shared/api.std.js';
import { DesktopError } from './DesktopError.main.js';
import { NamedLinkRefusal } from './DeliveryViews.main.js';
import type { DesktopLogger } from './logger.main.js';

/**
 * The window words errors in its own language by their code (desktop/shared/i18n/messages/
 * errors.std.ts, whose English must equal these: tests/desktop/errorWords.test.ts); it shows the
 * message sent here only for a code it has no words for.
 *
 * Core's codes in the words a person at the window needs. Codes not listed keep core's own
 * message, which never carries user data either.
 */
export const CORE_EXPLANATIONS: Partial<Record<CoreErrorCode, string>> = {
  [CoreErrorCode.WrongPassphrase]: 'That passphrase is not right.',
  [CoreErrorCode.WeakPassphrase]:
    'That passphrase is too weak: choose a longer one that is hard to guess.',
  [CoreErrorCode.VaultLocked]: 'Kindred is locked. Unlock it and try again.',
  [CoreErrorCode.VaultAlreadyOpen]: 'Kindred is already open in another window or program.',
  [CoreErrorCode.VaultCorrupt]: 'The data on this device is damaged and cannot be opened.',
  [CoreErrorCode.VaultUnsupportedVersion]:
    'The data on this device was written by a newer Kindred. Update Kindred to open it.',
  [CoreErrorCode.VaultKdfUnsupported]:
    'The data on this device asks for more memory or time to unlock than Kindred allows. It may have been tampered with.',
  [CoreErrorCode.InvalidPseudonym]: 'A name has 1 to 64 printable characters.',
  [CoreErrorCode.InvalidInviteLink]: 'That is not a valid Kindred invite link.',
  [CoreErrorCode.InviteExpired]: 'That invite has expired or was used up. Ask for a new one.',
  [CoreErrorCode.ContactNotFound]: 'That contact is not here.',
  [CoreErrorCode.ContactExists]: 'That person is already one of your contacts.',
  [CoreErrorCode.ContactBlocked]: 'You blocked this contact. Unblock them to write again.',
  [CoreErrorCode.SafetyNumberMismatch]:
    'The safety number does not match. Do not trust this contact until it does.',
  [CoreErrorCode.UntrustedIdentity]:
    'This contact’s safety number changed. Compare it again before you write.',
  [CoreErrorCode.IdentityMismatch]:
    'Someone tried to pass as this contact. Nothing from them was accepted.',
  [CoreErrorCode.RelayUnreachable]:
    'The relay cannot be reached right now. Kindred keeps trying; messages wait in the outbox.',
  [CoreErrorCode.RelayTimeout]: 'The relay did not answer in time. Try again in a moment.',
  [CoreErrorCode.RelayMismatch]:
    'That belongs to a different relay than this persona’s. Use a new persona: it is registered on that relay.',
  [CoreErrorCode.InsecureRelayUrl]:
    'A relay on another machine needs a secure address (wss://). Plain ws:// is only for this machine.',
  [CoreErrorCode.MessageTooLarge]: 'That message is too long.',
  [CoreErrorCode.MessageNotFound]: 'That message is not in this conversation.',
  [CoreErrorCode.GroupNotFound]: 'That group is not here.',
  [CoreErrorCode.GroupRotationDue]:
    'Someone just left this group. Its key is being changed: try again in a moment.',
  [CoreErrorCode.GroupKeyMissing]: 'Waiting for a member to share the group key.',
  [CoreErrorCode.GroupNotMember]:
    'You are not a member of this group (removed, banned, left, or not approved yet).',
  [CoreErrorCode.GroupForbidden]: 'Your role in this group does not allow that.',
  [CoreErrorCode.GroupBadTarget]: 'That member or message is not in a state this applies to.',
  [CoreErrorCode.GroupBanned]: 'You are banned from this group.',
  [CoreErrorCode.GroupMuted]: 'You are muted in this group for now.',
  [CoreErrorCode.GroupSlowMode]:
    'Slow mode is on in this group: wait a little before posting again.',
  [CoreErrorCode.GroupPostingRestricted]: 'Only moderators may post in this group.',
  [CoreErrorCode.GroupInviteInvalid]:
    'That group invite is unknown, expired, used up or forged. Ask for a new one.',
  [CoreErrorCode.GroupConflict]: 'The group changed while this ran. Try again.',
  [CoreErrorCode.GroupOperationInvalid]: 'That group change is malformed or wrongly signed.',
  [CoreErrorCode.PersonaNotFound]: 'That persona is not on this device.',
  [CoreErrorCode.AttachmentCorrupt]:
    'That attachment was damaged or altered on its way. Nothing of it was kept.',
  [CoreErrorCode.AttachmentPointerInvalid]: 'That attachment is malformed and cannot be opened.',
  [CoreErrorCode.AttachmentTooLarge]: 'That file is too large to send.',
  [CoreErrorCode.AttachmentUnreadable]:
    'That file is damaged or not what it seems, so it cannot be cleaned of its hidden details.',
  [CoreErrorCode.BackupKeyMalformed]:
    'That recovery key has a typo: check each group of four characters.',
  [CoreErrorCode.BackupWrongKey]: 'That recovery key (or passphrase) does not open this backup.',
  [CoreErrorCode.BackupCorrupt]: 'This backup file is damaged or incomplete. Nothing was restored.',
  [CoreErrorCode.BackupUnsupported]:
    'This backup was made by a newer Kindred. Update Kindred to restore it.',
  [CoreErrorCode.AttachmentNotCleaned]:
    'That file may carry hidden details (author, camera, location) that Kindred cannot remove. Nothing was sent.',
  [CoreErrorCode.AttachmentNotDownloaded]:
    'That attachment is not on this device yet: it is still downloading, or its download failed.',
  [CoreErrorCode.WarningRequired]:
    'This group asks for a content warning on images: add one before sending.',
  [CoreErrorCode.VaultExists]:
    'There is already a vault in that folder, and a restore never replaces one. Restore into a new, empty home folder.',
  [CoreErrorCode.NotAuthor]: 'Only the person who wrote a message can edit or delete it.',
  [CoreErrorCode.ReactionNotEmoji]: 'A reaction is one emoji.',
  [CoreErrorCode.InviteUsedUp]: 'This link was already used. Ask for a new one.',
  [CoreErrorCode.ContactRefused]:
    'Not connected: this person’s link was already used. Ask them for a new one.',
  [CoreErrorCode.MessageNotFailed]: 'That message is not waiting to be sent again.',
  [CoreErrorCode.ScheduleInvalid]:
    'That chat cannot be scheduled: check its start, length, repeats and the prompts’ times.',
  [CoreErrorCode.ScheduleNotFound]: 'That scheduled chat is not in this group any more.',
  [CoreErrorCode.ScheduleNotRunning]: 'That chat is not on now, or its question was not asked yet.',
  [CoreErrorCode.TopicNotFound]: 'This group has no such topic.',
  [CoreErrorCode.TopicClosed]: 'This topic is closed to new messages.',
  [CoreErrorCode.PrivateMessagesOff]:
    'This group does not let members write to each other privately.',
  [CoreErrorCode.RequestNotFound]: 'That message request is no longer open.',
  [CoreErrorCode.RequestPending]:
    'They have not accepted your message request yet: only text messages go until they do.',
  [CoreErrorCode.ListingInvalid]:
    'This listing could not be checked: it may have been altered, so it is not shown.',
  [CoreErrorCode.CredentialInvalid]: 'This facilitator credential could not be checked.',
  [CoreErrorCode.DirectoryOperatorUnendorsed]:
    'This relay’s directory cannot be trusted: its operator’s key is not vouched for by the relay’s own keys. Nothing from it is shown.',
  [CoreErrorCode.DirectoryNotFollowed]: 'You do not follow that directory.',
  [CoreErrorCode.ListingNotFound]:
    'That listing is no longer in the directory. Refresh to see what is listed now.',
};

/** Relay refusals with no counterpart in core. */
export const RELAY_EXPLANATIONS: Partial<Record<string, string>> = {
  [RelayErrorCode.RateLimited]: 'The relay is busy. Try again in a moment.',
  [RelayErrorCode.Unavailable]: 'The relay is busy. Try again in a moment.',
  [RelayErrorCode.MailboxFull]: 'That person’s mailbox on the relay is full for now.',
  [RelayErrorCode.DeliveryKeyQuota]:
    'Too many of your messages to that person are waiting on the relay. Try again later.',
  [RelayErrorCode.TooManyDeliveryKeys]:
    'This persona has handed out as many invite links and contact keys as the relay allows. Remove an old contact or let a link expire.',
  [RelayErrorCode.BadRetention]:
    'The relay does not accept that disappearing-messages timer (5 minutes to 4 weeks).',
  [RelayErrorCode.NoPreKeys]: 'That person cannot be reached right now. Try again later.',
  [RelayErrorCode.GroupFull]: 'The group is full.',
  [RelayErrorCode.TooManyGroups]: 'This persona is in as many groups as the relay allows.',
  [RelayErrorCode.GroupCapReached]:
    'This group has reached a limit on this relay (its history, deleted messages, open invites or waiting requests).',
  [RelayErrorCode.GroupMessageTooLarge]: 'That message is too large for the group.',
  [RelayErrorCode.InviteInvalid]: 'This relay admits newcomers only with a valid invite token.',
  [RelayErrorCode.TooManyConnections]: 'The relay has too many connections from here.',
  [RelayErrorCode.QuotaExceeded]:
    'You have used what the relay allows for now (groups created or space). Try again later.',
  [RelayErrorCode.StorageFull]: 'The relay is out of storage space. Try again later.',
};

export const INTERNAL_MESSAGE =
  'Something went wrong inside Kindred. Try again; if it keeps happening, restart it.';

/**
 * Turns any failure into what the window may see: a stable code and plain words. Core's and the
 * desktop's messages carry no user data by design; anything else (a bug, a library's error) is
 * reported as DESKTOP_INTERNAL with a generic message and logged by its class name only, since
 * its message or stack might hold text or paths.
 */
export function toApiError(error: unknown, logger: DesktopLogger, method: string): ApiError {
  if (DesktopError.is(error)) return { code: error.code, message: error.message };
  if (NamedLinkRefusal.is(error)) {
    return { code: error.code, message: error.words, details: { name: error.pseudonym } };
  }
  if (RelayRejectedError.isRelayRejection(error)) {
    const core = coreCodeForRelayRefusal(error.relayCode);
    if (core !== undefined) {
      return { code: core, message: CORE_EXPLANATIONS[core] ?? sentence(error.message) };
    }
    return {
      code: error.code,
      message:
        RELAY_EXPLANATIONS[error.relayCode] ?? `The relay refused this (${error.relayCode}).`,
      details: { relayCode: error.relayCode },
    };
  }
  if (CoreError.is(error)) {
    if (error.code === CoreErrorCode.Internal) {
      logger.error({ method, code: error.code }, 'core reported an internal failure');
      return { code: DesktopErrorCode.Internal, message: INTERNAL_MESSAGE };
    }
    return { code: error.code, message: CORE_EXPLANATIONS[error.code] ?? sentence(error.message) };
  }
  logger.error(
    { method, kind: error instanceof Error ? error.name : typeof error },
    'unexpected failure in a call',
  );
  return { code: DesktopErrorCode.Internal, message: INTERNAL_MESSAGE };
}

/** Core's messages are lowercase phrases; the window shows sentences. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'That did not work.';
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/u.test(first) ? first : `${first}.`;
}
