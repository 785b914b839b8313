import type { MemberCredentialChecks } from './GroupCredentials.js';
import type { AttachmentTransfers } from '../attachments/AttachmentTransfers.js';
import type { CoreError } from '../../errors/CoreError.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import type { GroupLogEntry } from './GroupLog.js';
import type { CheckedGroupReport } from './GroupReports.js';
import type { GroupMessage, GroupWarning } from './GroupStore.js';

/** What a persona's groups report. */
export interface GroupEvents {
  /**
   * A member's message was stored. `senderPseudonym` is the one in the sender's group profile, ''
   * when that did not open.
   */
  groupMessage: {
    readonly groupId: string;
    readonly message: GroupMessage;
    readonly senderPseudonym: string;
  };
  /**
   * A member reacted to a message of the group (`messageId`) with `emoji`, or took their reaction
   * back (`emoji` ''). `from` is the member's address; the message shows it under
   * `reactions[from]`.
   */
  groupReaction: {
    readonly groupId: string;
    readonly messageId: Uint8Array;
    readonly from: string;
    readonly emoji: string;
  };
  /**
   * A member edited (`edited`) or deleted for everyone (`deleted`) one of their messages (the
   * sealed sender wrote it): `message` as it is now, `previous` as it was. No notification.
   */
  groupMessageChanged: {
    readonly groupId: string;
    readonly change: 'edited' | 'deleted';
    readonly message: GroupMessage;
    readonly previous: GroupMessage;
  };
  /**
   * A member's edit or deletion was not applied (not its author, an unknown or deleted message):
   * the reason, for the log; the same event a 1:1 drop reports.
   */
  dropped: { readonly reason: string };
  /** A verified operation was applied to a group's log. */
  groupOperation: { readonly groupId: string; readonly entry: GroupLogEntry };
  /** The relay (or a member through it) broke the rules; the client refused and warns. */
  groupWarning: { readonly groupId: string; readonly warning: GroupWarning };
  /** A member reported a message to us as a moderator. */
  groupReport: { readonly groupId: string; readonly report: CheckedGroupReport };
  /** The relay stored one of our group messages. */
  groupSent: { readonly groupId: string; readonly messageId: Uint8Array };
  /** The relay refused one of our group messages for good. */
  groupSendFailed: {
    readonly groupId: string;
    readonly messageId: Uint8Array;
    readonly error: CoreError;
  };
  /**
   * We came to hold a group key we lacked (a joiner let in, a member after a rotation): names,
   * info and parked messages have just opened, and we can post.
   */
  groupKey: { readonly groupId: string };
}

export type EmitGroupEvent = <K extends keyof GroupEvents>(event: K, value: GroupEvents[K]) => void;

export interface GroupSessionOptions {
  readonly state: PersonaState;
  readonly relayUrl: string;
  readonly trustRoot: Uint8Array;
  /**
   * The delivery key of our membership of a group, shared with its members inside our sealed
   * profile: made and registered with the relay on first use, for this group alone.
   */
  readonly membershipKey: (groupId: Uint8Array) => Promise<Uint8Array>;
  /** Revokes it (a join that was refused). */
  readonly retireMembershipKey: (groupId: Uint8Array) => Promise<void>;
  /** Our delivery keys changed in the vault (a membership ended): bring the relay in line. */
  readonly deliveryKeysChanged: () => void;
  /**
   * A short-lived anonymous connection for requests that need no identity (log fetches), one per
   * group, never one that carries sealed sends.
   */
  readonly anonymous: (groupId?: Uint8Array) => Promise<RelayConnection>;
  /**
   * An authenticated connection, for posting and submitting operations; `release` closes it if
   * it was opened just for this.
   */
  readonly authenticated: () => Promise<{ connection: RelayConnection; release: () => void }>;
  /** Wakes the 1:1 outbox (sender keys and reports travel there). */
  readonly kickOutbox: () => void;
  readonly emit: EmitGroupEvent;
  /** A background failure worth telling the user about. */
  readonly reportError: (error: CoreError) => void;
  /** Uploads, downloads and saves attachments (absent: none can be sent). */
  readonly attachments?: AttachmentTransfers;
  /** The zone scheduled chats are shown in (KindredClientOptions.timeZone). */
  readonly timeZone?: string;
  /** The clock scheduled chats are read with (KindredClientOptions.scheduleClock). */
  readonly scheduleClock?: () => number;
  /** Checks members' facilitator credentials and names ours (absent: no badges, none shown). */
  readonly credentials?: MemberCredentialChecks;
}
