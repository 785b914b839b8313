/**
 * The values the window shows: what each call of the desktop API (api.std.ts) answers with and
 * its events carry. Plain JSON types only (ids are lowercase hex, times ms since the epoch).
 */
import type { ScheduleAnswerTagView } from './scheduledChatViews.std.js';

export type AppPhase = 'first-run' | 'locked' | 'unlocked';

export interface NotificationSettings {
  /** Desktop notifications for new messages (on by default). */
  readonly enabled: boolean;
  /** Whether a notification may show the message text (off by default: shoulder-surfing). */
  readonly showText: boolean;
}

export interface AppState {
  readonly phase: AppPhase;
  /** The relay the vault talks to (the default one `npm start` runs before the first run). */
  readonly relayUrl: string;
  /** The main persona's pseudonym, once unlocked. */
  readonly pseudonym?: string;
  /** Lock after this many minutes without input (0: never). */
  readonly idleLockMinutes: number;
  readonly notifications: NotificationSettings;
  /** Whether the main persona's link to the relay is up. */
  readonly online: boolean;
  /**
   * The SOCKS5 proxy every persona connects through (`socks5://host:port`, each persona with its
   * own credentials), kept in the vault; '' when connecting directly.
   */
  readonly proxy: string;
  /** Whether Escape twice, with nothing open, is a quick exit (a setting, off by default). */
  readonly escapeTwiceLocks: boolean;
}

export interface PersonaView {
  readonly address: string;
  readonly pseudonym: string;
  /** The persona made at first run (contacts use it). */
  readonly main: boolean;
  /** Names of the groups this persona is in (shown only on this device, never sent). */
  readonly groups: readonly string[];
}

/** `c:<persona address>:<contact address>` for a 1:1 chat, `g:<group id>` for a group. */
export type ConversationId = string;

export interface ConversationSummary {
  readonly id: ConversationId;
  readonly kind: 'contact' | 'group';
  /** The contact's alias or pseudonym; the group's name. */
  readonly title: string;
  /** Which of our personas talks here (address and pseudonym). */
  readonly persona: { readonly address: string; readonly pseudonym: string };
  readonly unread: number;
  /** Last message or change, ms since the epoch (0 when nothing yet). */
  readonly lastActivity: number;
  /** The last message's text, short (empty when deleted or none). */
  readonly preview: string;
  /** Groups: our standing in it. */
  readonly groupStatus?: 'active' | 'requested' | 'removed' | 'banned' | 'left';
  /** 1:1: whether the safety number was compared and marked verified. */
  readonly verified?: boolean;
  /** Groups we moderate: join requests waiting, and reports neither handled nor dismissed. */
  readonly moderation?: ModerationCountsView;
  /** The last message is under this content warning: `preview` is '', the window says this. */
  readonly previewWarning?: string;
}

export interface Reaction {
  readonly emoji: string;
  readonly count: number;
  /** Whether one of them is ours. */
  readonly mine: boolean;
}

/**
 * Ours: `pending` ("Sending…": the relay has not taken it yet), `sent` (the relay holds it),
 * `delivered` (their device stored it), `read` (it was on their screen; only when they send us
 * read receipts), `failed` ("Not delivered", with `failure` and a retry). Theirs: `received`.
 * A group message never goes past `sent` (docs/messages.md, "Delivery states").
 */
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'received' | 'delivered' | 'read';

export interface MessageView {
  /** The message id (hex); gaps and notices get a local id. */
  readonly id: string;
  readonly kind: 'message' | 'gap' | 'notice';
  readonly author: {
    readonly address: string;
    readonly name: string;
    readonly self: boolean;
    /** A group member's facilitator badge (its role title), when its credential is valid. */
    readonly badge?: string;
  };
  /** Empty when deleted by a moderator. */
  readonly text: string;
  readonly sentAt: number;
  readonly delivery: DeliveryState;
  readonly replyTo?: {
    readonly id: string;
    readonly author: string;
    readonly text: string;
    /** The answered message is covered (its text is ''): its content warning. */
    readonly warning?: string;
    /** The answered message is ours ("Replying to you"); absent when it is not here. */
    readonly self?: boolean;
  };
  readonly reactions: readonly Reaction[];
  /** Deleted for everyone by a moderator. */
  readonly deleted: boolean;
  readonly pinned: boolean;
  /**
   * The content warning it is shown under: the author's, or "Sensitive image" for an unwarned
   * image in a group that requires warnings (docs/desktop.md, "Content warnings").
   */
  readonly warning?: string;
  /**
   * Covered: a message with a `warning` not revealed in this call. Its text is '' and nothing it
   * carries (quotes of it, attachments) is in the view until `conversations.messages` is asked
   * to `reveal` it.
   */
  readonly covered?: boolean;
  /** When its disappearing timer takes it out of the vault (ms since the epoch). */
  readonly expiresAt?: number;
  /** A timer-change line: the conversation's disappearing timer became this (seconds, 0 off). */
  readonly timer?: number;
  /** The files sent with it, in the author's order (absent when none, or deleted). */
  readonly attachments?: readonly AttachmentView[];
  /** Its author edited it: `text` is the edit's; shown with "Edited". */
  readonly edited?: boolean;
  /** Its author deleted it for everyone: `text` is ''; shown as "Deleted by its author". */
  readonly deletedByAuthor?: boolean;
  /**
   * Ours, 1:1, to a fellow group member who has not accepted our message request: no receipt
   * comes until they do, so the window says "Sent as a request" rather than any delivery state.
   */
  readonly asRequest?: boolean;
  /** For `failed` (ours, 1:1): why it was not delivered (worded by the window); `retry` resends. */
  readonly failure?: DeliveryFailure;
  /** A gap's or a notice's facts, which the window words in its language (its `text` is ''). */
  readonly notice?: NoticeView;
  /** A group message's topic now (hex id; '' General); absent in 1:1 chats and for notices. */
  readonly topic?: string;
  /** A reply in a thread: the thread's first message (hex id). */
  readonly threadRoot?: string;
  /** An answer to a scheduled chat's prompt: shown with its tag ("A2") to every member. */
  readonly answer?: ScheduleAnswerTagView;
}

/**
 * Why one of our messages was not delivered: the relay's refusal or core's failure, by its code
 * (DeliveryViews.main.ts); `other` for any code not listed.
 */
export type DeliveryFailure =
  | 'unknown-recipient'
  | 'access-denied'
  | 'mailbox-full'
  | 'too-large'
  | 'rate-limited'
  | 'bad-retention'
  | 'unreachable'
  | 'timeout'
  | 'link-used'
  | 'other';

/** What a group operation in a conversation's timeline did (a moderation or membership notice). */
export type OperationAction =
  | 'create'
  | 'join'
  | 'request'
  | 'approve'
  | 'deny'
  | 'leave'
  | 'remove'
  | 'ban'
  | 'unban'
  | 'promote'
  | 'demote'
  | 'transferOwnership'
  | 'mute'
  | 'unmute'
  | 'pin'
  | 'unpin'
  | 'deleteMessage'
  | 'setInfo'
  | 'setPolicy'
  | 'timer'
  | 'topicCreate'
  | 'topicRename'
  | 'topicClose'
  | 'topicReopen'
  | 'topicMove';

/**
 * A line in a conversation that no one wrote, as facts (names, counts, seconds): the window
 * words it (desktop/renderer/conversation/noticeWords.dom.ts).
 */
export type NoticeView =
  /** Messages of a 1:1 conversation that have not arrived (`missing`), or 0: late ones arrived. */
  | { readonly kind: 'gap'; readonly missing: number }
  /**
   * A secure session renewed after a restore from a backup: a 1:1 conversation's (no `who`), or
   * a group's, restored by us (`you`), by the member `name`, or by a member not known by name.
   */
  | { readonly kind: 'renewed'; readonly who?: 'you' | 'member'; readonly name?: string }
  /** A 1:1 timer change by us (`self`) or by the contact `actor`: to `seconds`, 0 off. */
  | {
      readonly kind: 'timer';
      readonly self: boolean;
      readonly actor: string;
      readonly seconds: number;
    }
  /**
   * A group operation: `actor` (''  when unknown) did `action`, to `target` ('' when unknown,
   * absent when it has none), with its `reason` ('' for none); `seconds` for a timer change.
   */
  | {
      readonly kind: 'operation';
      readonly action: OperationAction;
      readonly actor: string;
      readonly target?: string;
      readonly reason: string;
      readonly seconds?: number;
      /** A topic operation's topic: its name ('' when it is unknown here; General: `general`). */
      readonly topic?: string;
      readonly general?: boolean;
    };

export interface ContactView {
  readonly conversationId: ConversationId;
  readonly address: string;
  readonly alias?: string;
  readonly pseudonym: string;
  readonly persona: string;
  readonly verified: boolean;
  readonly addedAt: number;
  /** Blocked: their key is revoked at the relay, and nothing goes to or comes from them. */
  readonly blocked: boolean;
  /**
   * They refused our introduction (their link was `used-up`, had `expired`, or was `unknown` to
   * them): not connected, nothing reaches them. Absent: connected as far as we know.
   */
  readonly refused?: 'used-up' | 'expired' | 'unknown';
  /** We send them read receipts (off by default). */
  readonly readReceipts: boolean;
}

export interface SafetyNumberView {
  /** Twelve groups of five digits, space separated. */
  readonly digits: string;
  readonly verified: boolean;
}

export type GroupRole = 'owner' | 'moderator' | 'member';

export interface GroupView {
  readonly conversationId: ConversationId;
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly rules: string;
  readonly status: 'active' | 'requested' | 'removed' | 'banned' | 'left';
  readonly role?: GroupRole;
  readonly persona: { readonly address: string; readonly pseudonym: string };
  readonly policy: {
    readonly joinByApproval: boolean;
    readonly slowModeSeconds: number;
    readonly posting: 'everyone' | 'moderators';
    /** The group's disappearing timer (seconds, 0 off). */
    readonly disappearingSeconds: number;
    /** Members must put a content warning on images. */
    readonly requireImageWarnings: boolean;
    /** Members (not only moderators) may create topics. */
    readonly membersCreateTopics: boolean;
    /** Members may write to each other privately (message requests). */
    readonly membersMessagePrivately: boolean;
  };
  readonly members: number;
  readonly requests: number;
  readonly warnings: number;
  readonly pinned: readonly MessageView[];
  /** Let in, but no member has sent us the group key yet: nothing can be read or posted. */
  readonly waitingForKey: boolean;
  /** Reports neither handled (by any moderator, from the log) nor dismissed by us. */
  readonly openReports: number;
}

export interface MemberView {
  readonly address: string;
  readonly pseudonym: string;
  readonly role: GroupRole;
  /** Muted until this time (0: not muted). */
  readonly mutedUntil: number;
  readonly self: boolean;
  /** The role title of a valid facilitator credential the member shows (checked by core). */
  readonly badge?: string;
}

export interface JoinRequestView {
  readonly address: string;
  readonly pseudonym: string;
  /** What the requester wrote for the moderators (sealed: the relay never read it). */
  readonly introduction?: string;
}

/**
 * How a report's quote compares with our own copy of the message: `matches`, `differs` (our
 * copy is shown) or `unknown` (we do not hold it: the reporter's words, unconfirmed).
 */
export type ReportCheckView = 'matches' | 'differs' | 'unknown';

export interface ReportView {
  readonly index: number;
  readonly reporter: string;
  readonly messageId: string;
  /** Our own copy's author and text when we hold the message (see `check`). */
  readonly author: string;
  readonly text: string;
  readonly check: ReportCheckView;
  readonly context: readonly {
    readonly author: string;
    /** '' when our copy carries a content warning (`warning`): its words are withheld. */
    readonly text: string;
    readonly check: ReportCheckView;
    readonly warning?: string;
  }[];
  readonly reason: string;
  readonly receivedAt: number;
  /** A moderator answered it (read from the log): who, and what they did. */
  readonly handled?: {
    readonly by: string;
    readonly action: 'deleteMessage' | 'remove' | 'ban' | 'mute';
    readonly at: number;
  };
  /** We dismissed it (kept in the vault). */
  readonly dismissed: boolean;
  /** Our copy of the reported message carries this content warning: show it covered. */
  readonly warning?: string;
}

export interface LogEntryView {
  readonly sequence: number;
  readonly action: string;
  readonly actor: string;
  readonly target?: string;
  readonly reason?: string;
  readonly at: number;
  /**
   * A scheduled chat's operation (scheduleChat, rescheduleChat, cancelScheduledChat): the chat's
   * title ('' when no longer known) and the one occurrence cancelled, if only one was.
   */
  readonly scheduledChat?: { readonly title: string; readonly occurrence?: number };
}

/** A piece of a search result's snippet; `marked` for the words the query matched. */
export interface SnippetPartView {
  readonly text: string;
  readonly marked: boolean;
}

/** One message that matched a search, newest first. */
export interface SearchResultView {
  readonly conversationId: ConversationId;
  readonly kind: 'contact' | 'group';
  /** The contact's alias or pseudonym; the group's name. */
  readonly title: string;
  /** The message id (hex): what the conversation scrolls to. */
  readonly messageId: string;
  readonly author: { readonly name: string; readonly self: boolean };
  /** The sender's clock, ms since the epoch. */
  readonly sentAt: number;
  /** The text around the first matched word; joined, the parts are the snippet. */
  readonly snippet: readonly SnippetPartView[];
  /** A message shown covered: its content warning, and the snippet is empty. */
  readonly warning?: string;
}

/** A conversation's disappearing-messages timer, and whether we may change it. */
export interface TimerView {
  /** Seconds, 0 off. */
  readonly seconds: number;
  /** 1:1: either side (unless blocked); group: moderators of an active membership. */
  readonly canChange: boolean;
  /**
   * What the control offers: Off and 5 minutes .. 4 weeks, and the current value (the window words
   * each: desktop/renderer/i18n/timerWords.dom.ts).
   */
  readonly choices: readonly { readonly seconds: number }[];
}

export interface WarningView {
  readonly kind: string;
  readonly detail: string;
  readonly at: number;
  /** The member it is about (a facilitator credential that shows no badge). */
  readonly member?: string;
}

/** What a backup file is locked with (docs/backup.md). */
export type BackupProtectionView = 'recovery-key' | 'passphrase';

/** A backup made in Settings → Back up. */
export interface BackupMadeView {
  readonly protection: BackupProtectionView;
  /**
   * `file`: saved where the person chose (Electron's save dialog); `download`: waiting in main
   * for the window to fetch it with backup.read (the dev host), then backup.discard;
   * `cancelled`: the save dialog was closed, nothing was written.
   */
  readonly saved: 'file' | 'download' | 'cancelled';
  /** The file's name (no folder), e.g. `kindred-2026-12-07.backup`. */
  readonly fileName: string;
  readonly bytes: number;
  readonly records: number;
  /** For `download`: what backup.read and backup.discard name. */
  readonly backupId?: string;
  /** The recovery key, shown once: nothing stores it. Absent for a passphrase backup. */
  readonly recoveryKey?: string;
}

/** One file of a message, as the window shows it (docs/desktop.md, "Attachments"). */
export interface AttachmentView {
  /** Its position in the message, from 0. */
  readonly index: number;
  /** The sender's file name ('' when they sent none). */
  readonly name: string;
  /** Told from the file's bytes by the sender's device (`image/jpeg`, `application/pdf`). */
  readonly contentType: string;
  readonly size: number;
  /** The sender's small preview of an image, as a `data:image/webp;base64,…` URL. */
  readonly preview?: string;
  readonly width?: number;
  readonly height?: number;
  /** `downloaded` once it can be opened or saved; `failed` with the core code in `error`. */
  readonly state: 'pending' | 'downloading' | 'downloaded' | 'failed';
  readonly error?: string;
}

/** A file staged for sending (attachments.stageFinish). */
export interface StagedFileView {
  readonly stagingId: string;
  /** The name it will be sent under (made safe for a file name). */
  readonly name: string;
  readonly size: number;
  /**
   * The name it goes under unless the person sends file names (`keepFileNames`): core's neutral
   * name from its type (`photo.jpg`), before several of one kind are numbered (neutralFileNames).
   */
  readonly neutralName: string;
}

/** A decrypted attachment ready to be read in chunks (attachments.open). */
export interface OpenedFileView {
  readonly fileId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
}

/** What needs a moderator in one group (or in all, summed): the badges' counts. */
export interface ModerationCountsView {
  readonly requests: number;
  readonly reports: number;
}

/** What a group invite link shows before joining (nothing more than the link-holder may read). */
export interface GroupPreviewView {
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly rules: string;
  readonly joinByApproval: boolean;
  /** We are in it already (or asking to be). */
  readonly alreadyIn: boolean;
}

/** A persona banned from a group. */
export interface BannedView {
  readonly address: string;
  readonly pseudonym: string;
}
