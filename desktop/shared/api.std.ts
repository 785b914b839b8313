/**
 * The one API between the desktop window (the renderer) and the process that holds the vault and
 * the keys (Electron's main process, or the dev host). The renderer sees plaintext results only:
 * no key, no libsignal object, no LevelDB handle ever crosses this line.
 *
 * Every call is `{ method, args }` and answers `{ ok: true, value }` or `{ ok: false, error }`.
 * The args of every method are checked with the zod schema below in the main process before
 * anything runs: the renderer is treated as untrusted input, like a frame from the network.
 *
 * Everything here is plain JSON (ids are lowercase hex strings, times are ms since the epoch),
 * so the same messages travel over Electron IPC and over the dev host's WebSocket.
 */
import { z } from 'zod';

// The channel names live in a module of their own so the preload can use them without zod.
export { CHANNELS } from './channels.std.js';
// The values shown by the window, in a module of their own (api.std.ts is the calls).
export type * from './apiViews.std.js';
import type {
  AppState,
  BackupMadeView,
  BannedView,
  GroupPreviewView,
  BackupProtectionView,
  ContactView,
  ConversationId,
  ConversationSummary,
  GroupView,
  JoinRequestView,
  LogEntryView,
  MemberView,
  MessageView,
  OpenedFileView,
  PersonaView,
  ReportView,
  SafetyNumberView,
  SearchResultView,
  StagedFileView,
  TimerView,
  WarningView,
} from './apiViews.std.js';
import { MAX_MESSAGE_LENGTH } from './messageLimits.std.js';
import type { CrisisDirectoryView } from './crisisViews.std.js';
export type * from './crisisViews.std.js';
import type {
  FeedUpdateView,
  FollowLinkInfoView,
  FollowLinkView,
  FollowedJournalView,
  JournalFollowerView,
  JournalView,
  PostedUpdateView,
} from './journalViews.std.js';
export type * from './journalViews.std.js';
import type { ScheduleReminderDueView, ScheduledChatItemView } from './scheduleViews.std.js';
import type { AskedPromptView, TranscriptView } from './scheduledChatViews.std.js';
export type * from './scheduleViews.std.js';
import type { TopicView } from './topicViews.std.js';
export type * from './topicViews.std.js';
import type { GroupResourcesView } from './groupResourceViews.std.js';
export type * from './groupResourceViews.std.js';
import { requestSchemas, type RequestResults } from './requestCalls.std.js';
export type { MessageRequestView, RequestMessageView } from './requestCalls.std.js';
import { directorySchemas, type DirectoryResults } from './directoryCalls.std.js';
export type * from './directoryViews.std.js';

// -------------------------------------------------------------------------------------------------
// Calls: each method's args (checked in main) and its result

/** Files one message carries at most (core's MAX_ATTACHMENTS; a test keeps them equal). */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/**
 * Bytes of a file in one attachments.stageChunk call: as base64 (4/3 of it) plus the call's
 * envelope this stays well under the dev host's 64 KiB message limit.
 */
export const STAGE_CHUNK_BYTES = 32 * 1024;
/** Bytes of an opened attachment in one attachments.read answer (answers have no such limit). */
export const READ_CHUNK_BYTES = 256 * 1024;

const text = (max: number) => z.string().max(max);
const hexId = z.string().regex(/^[0-9a-f]{32}$/u, 'an id is 32 hex characters');
const conversationId = z.string().min(3).max(200);
const address = z.string().min(1).max(200);
const reason = text(500).optional();
/** A backup waiting for download, or a backup file being staged for a restore. */
/** A group topic by hex id; '' is General. */
const topicId = z.union([z.literal(''), z.string().regex(/^[0-9a-f]{32}$/u, 'a topic id')]);
/** Core checks the rest (at most 64 characters, no control characters): CORE_INVALID_INPUT. */
const topicName = z.string().trim().min(1).max(64);
const transferId = z.string().regex(/^[0-9a-f]{32}$/u, 'a transfer id is 32 hex characters');

/**
 * Backup files cross the bridge in pieces of this many bytes (base64 in JSON), so that a call
 * stays well under the dev host's 64 KiB message limit.
 */
export const BACKUP_CHUNK_BYTES = 36 * 1024;
const BACKUP_CHUNK_BASE64 = (BACKUP_CHUNK_BYTES / 3) * 4;
/** Staged and opened files are named by 32 random hex characters. */
const stagingId = z.string().regex(/^[0-9a-f]{32}$/u, 'a file id is 32 hex characters');
const fileId = stagingId;
const base64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4)
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u, 'base64');
const attachmentIndex = z
  .number()
  .int()
  .min(0)
  .max(MAX_ATTACHMENTS_PER_MESSAGE - 1);
/** How many times an invite link works, and for how long: the same for contacts and groups. */
const inviteLimits = {
  maxUses: z.number().int().min(1).max(10_000),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90),
};
/** Which persona a group sees: 'fresh' (default) for a new one, or an existing persona's address. */
const personaChoice = {
  persona: z.union([z.literal('fresh'), address]),
  pseudonym: z.string().trim().min(1).max(64).optional(),
};

/** A scheduled chat's details as the window sends them; core checks them (CORE_SCHEDULE_INVALID). */
const scheduleDetails = {
  title: z.string().trim().min(1).max(200),
  startsAt: z.number().int().min(0),
  durationMinutes: z.number().int().min(1).max(1440),
  occurrences: z.number().int().min(1).max(520),
  prompts: z
    .array(z.object({ offsetMinutes: z.number().int().min(0), text: z.string().min(1).max(1000) }))
    .max(100),
};

export const apiSchemas = {
  'app.state': z.object({}),
  'app.create': z.object({
    pseudonym: z.string().trim().min(1).max(64),
    passphrase: z.string().min(1).max(1024),
    relayUrl: z.string().min(1).max(2048),
  }),
  'app.unlock': z.object({ passphrase: z.string().min(1).max(1024) }),
  'app.lock': z.object({}),
  /** Any input in the window: restarts the idle-lock clock. */
  'app.activity': z.object({}),
  /** The quick-exit shortcut: hide the window at once (Electron) and lock the vault. */
  'app.quickExit': z.object({}),
  'settings.update': z.object({
    relayUrl: z.string().min(1).max(2048).optional(),
    idleLockMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .optional(),
    notifications: z.object({ enabled: z.boolean(), showText: z.boolean() }).optional(),
    /** `socks5://host:port`, or '' to connect directly again. */
    proxy: z.string().max(2048).optional(),
    escapeTwiceLocks: z.boolean().optional(),
  }),
  'settings.changePassphrase': z.object({
    current: z.string().min(1).max(1024),
    next: z.string().min(1).max(1024),
  }),
  'personas.list': z.object({}),
  'personas.create': z.object({ pseudonym: z.string().trim().min(1).max(64) }),
  'conversations.list': z.object({}),
  'conversations.messages': z.object({
    conversationId,
    /** Messages to show uncovered in this answer (content warnings revealed in this viewing). */
    reveal: z.array(hexId).max(1000).optional(),
  }),
  'conversations.markRead': z.object({ conversationId }),
  'conversations.send': z
    .object({
      conversationId,
      /** May be '' only when files go with it. */
      text: z.string().max(MAX_MESSAGE_LENGTH),
      replyTo: hexId.optional(),
      /** Staged files (attachments.stageBegin … stageFinish) to send; the text may then be ' '. */
      attachments: z.array(stagingId).min(1).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
      /** Send files whose hidden details cannot be removed, as they are: only after asking. */
      sendUncleaned: z.boolean().optional(),
      /** A content warning: 1 to 100 characters (core checks the rest: CORE_INVALID_INPUT). */
      warning: z.string().min(1).max(100).optional(),
      /** Send the files under their real names (default: neutral names from their types). */
      keepFileNames: z.boolean().optional(),
      /** A group topic to post into (hex id; '' or absent: General). */
      topic: topicId.optional(),
      /** A group thread to post into: its first message (a reply's thread is its root's). */
      thread: hexId.optional(),
      /** Answers this prompt of a running scheduled chat (CORE_SCHEDULE_NOT_RUNNING if not asked). */
      answer: z
        .object({
          chatId: hexId,
          occurrence: z.number().int().min(1).max(520),
          prompt: z.number().int().min(1).max(100),
        })
        .optional(),
    })
    .refine((args) => args.text !== '' || args.attachments !== undefined, {
      path: ['text'],
      message: 'a message is text or files',
    }),
  'conversations.react': z.object({
    conversationId,
    messageId: hexId,
    emoji: z.string().min(1).max(16),
    remove: z.boolean().optional(),
  }),
  'contacts.list': z.object({}),
  'contacts.createInvite': z.object(inviteLimits),
  'contacts.add': z.object({ link: z.string().min(1).max(8192), alias: text(64).optional() }),
  'contacts.safetyNumber': z.object({ conversationId }),
  'contacts.verify': z.object({ conversationId, digits: z.string().min(1).max(200) }),
  'contacts.setBlocked': z.object({ conversationId, blocked: z.boolean() }),
  'groups.create': z.object({
    name: z.string().trim().min(1).max(100),
    description: text(1000),
    rules: text(4000),
    joinByApproval: z.boolean(),
    slowModeSeconds: z.number().int().min(0).max(86_400),
    ...personaChoice,
  }),
  'groups.join': z.object({
    link: z.string().min(1).max(8192),
    ...personaChoice,
    /** A short introduction for the moderators, sealed with the join (core checks its length). */
    introduction: z.string().max(2000).optional(),
  }),
  'groups.details': z.object({ conversationId }),
  'groups.members': z.object({ conversationId }),
  'groups.requests': z.object({ conversationId }),
  'groups.invite': z.object({ conversationId, ...inviteLimits }),
  'groups.setInfo': z.object({
    conversationId,
    name: z.string().trim().min(1).max(100).optional(),
    description: text(1000).optional(),
    rules: text(4000).optional(),
  }),
  'groups.setPolicy': z.object({
    conversationId,
    joinByApproval: z.boolean().optional(),
    slowModeSeconds: z.number().int().min(0).max(86_400).optional(),
    posting: z.enum(['everyone', 'moderators']).optional(),
    requireImageWarnings: z.boolean().optional(),
    /** Members (not only moderators) may create topics. */
    membersCreateTopics: z.boolean().optional(),
    /** Members may write to each other privately (message requests; off by default). */
    membersMessagePrivately: z.boolean().optional(),
  }),
  'groups.moderate': z.object({
    conversationId,
    action: z.enum([
      'approve',
      'deny',
      'remove',
      'ban',
      'unban',
      'mute',
      'unmute',
      'promote',
      'demote',
      'transferOwnership',
    ]),
    member: address,
    reason,
    /** For mute: until when (ms since the epoch). */
    until: z.number().int().positive().optional(),
  }),
  'groups.moderateMessage': z.object({
    conversationId,
    action: z.enum(['delete', 'pin', 'unpin']),
    messageId: hexId,
    reason,
  }),
  'groups.report': z.object({ conversationId, messageId: hexId, reason: text(500) }),
  /** `reveal`: reported messages (hex ids) whose warned text to show; else covered ('' text). */
  'groups.reports': z.object({ conversationId, reveal: z.array(hexId).max(200).optional() }),
  'groups.log': z.object({ conversationId }),
  'groups.warnings': z.object({ conversationId }),
  'groups.leave': z.object({ conversationId }),
  /** Every conversation's messages holding every word of `query` (docs/search.md), newest first. */
  'search.query': z.object({
    query: z.string().max(512),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  'groups.resetInvites': z.object({ conversationId }),
  /**
   * Settings → Back up: the whole vault to one encrypted file, under a new recovery key or the
   * vault passphrase. `passphrase` is the vault's, asked again so an unlocked window alone cannot
   * export the vault.
   */
  'backup.create': z.object({
    protection: z.enum(['recovery-key', 'passphrase']),
    passphrase: z.string().min(1).max(1024),
  }),
  /** A piece (at most BACKUP_CHUNK_BYTES) of a backup waiting for download, from `offset`. */
  'backup.read': z.object({ backupId: transferId, offset: z.number().int().min(0) }),
  /** Deletes a backup waiting for download (after it was saved, or to give it up). */
  'backup.discard': z.object({ backupId: transferId }),
  /** Checks a recovery key as typed (its checksum): its written form, or a coded error. */
  'backup.checkKey': z.object({ key: z.string().min(1).max(200) }),
  /** First run → Restore: starts taking a backup file of `size` bytes from the window. */
  'restore.begin': z.object({ size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  /** The next piece of the file, base64 (at most BACKUP_CHUNK_BYTES), at `offset`. */
  'restore.append': z.object({
    stagingId: transferId,
    offset: z.number().int().min(0),
    data: z
      .string()
      .min(4)
      .max(BACKUP_CHUNK_BASE64)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/u, 'base64'),
  }),
  /** What the whole staged file is locked with: which secret to ask for. */
  'restore.inspect': z.object({ stagingId: transferId }),
  /**
   * Restores the staged file into this home (first run only), under the new vault `passphrase`,
   * and opens it. `secret` is the recovery key or the backup's passphrase. On failure the staged
   * file stays, so the person can try another key.
   */
  'restore.run': z.object({
    stagingId: transferId,
    secret: z.string().min(1).max(1024),
    passphrase: z.string().min(1).max(1024),
  }),
  /** Gives up a staged file. */
  'restore.discard': z.object({ stagingId: transferId }),
  /** The conversation's disappearing timer (1:1 or group) and whether we may change it. */
  'conversations.timer': z.object({ conversationId }),
  /** Sets it: 1:1 either side (a timer-change line), group moderators (the group's policy). */
  'conversations.setTimer': z.object({
    conversationId,
    seconds: z
      .number()
      .int()
      .min(0)
      .max(28 * 86_400),
  }),
  /** Starts staging a file to send: its name and exact size (docs/desktop.md, "Attachments"). */
  'attachments.stageBegin': z.object({
    name: z.string().min(1).max(1024),
    size: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
  }),
  /** The next bytes of a staged file, at `offset` (= what arrived so far), base64. */
  'attachments.stageChunk': z.object({
    stagingId,
    offset: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
    data: base64(STAGE_CHUNK_BYTES).min(4),
  }),
  'attachments.stageFinish': z.object({ stagingId }),
  'attachments.stageCancel': z.object({ stagingId }),
  /** Decrypts a downloaded attachment into a private temporary file, to read in chunks. */
  'attachments.open': z.object({ conversationId, messageId: hexId, index: attachmentIndex }),
  'attachments.read': z.object({
    fileId,
    offset: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
  }),
  'attachments.close': z.object({ fileId }),
  /** Electron: a native save dialog, then the decrypted file where the person chose. */
  'attachments.saveAs': z.object({ conversationId, messageId: hexId, index: attachmentIndex }),
  /** Tries failed or stalled downloads of a message's attachments again. */
  'attachments.retry': z.object({ conversationId, messageId: hexId }),
  /** Edits one of our messages: new words, and the warning it carries from now on (or none). */
  'conversations.edit': z.object({
    conversationId,
    messageId: hexId,
    text: z.string().min(1).max(MAX_MESSAGE_LENGTH),
    warning: z.string().min(1).max(100).optional(),
  }),
  /** Deletes one of our messages for everyone ("Deleted by its author"). */
  'conversations.deleteForEveryone': z.object({ conversationId, messageId: hexId }),
  /** Removes a contact and its whole conversation from this device. */
  'contacts.remove': z.object({ conversationId }),
  /** What a group invite link shows before joining: name, description, rules, approval. */
  'groups.preview': z.object({ link: z.string().min(1).max(8192) }),
  /** Dismisses a report for us alone (kept in the vault). */
  'groups.dismissReport': z.object({ conversationId, index: z.number().int().min(1) }),
  /** Personas banned from the group, for moderators to unban. */
  'groups.banned': z.object({ conversationId }),
  /** Forgets a group we are out of (removed, banned, left): it leaves the vault. */
  'groups.forget': z.object({ conversationId }),
  /** Sends a not-delivered message of ours again (1:1): same id, so it arrives once. */
  'conversations.retry': z.object({ conversationId, messageId: hexId }),
  /** Turns sending read receipts to this contact on or off (off by default). */
  'contacts.setReadReceipts': z.object({ conversationId, on: z.boolean() }),
  /** Where an invite link this vault made stands (contact or group), for its maker's panel. */
  'invites.use': z.object({ link: z.string().min(1).max(8192) }),
  /** The crisis lines shipped with the app, in every phase (docs/crisis-help.md). */
  'crisis.directory': z.object({}),
  /** This vault's journal (docs/journal.md), or null. */
  'journal.mine': z.object({}),
  'journal.create': z.object({ title: z.string().trim().min(1).max(64) }),
  'journal.createLink': z.object(inviteLimits),
  'journal.links': z.object({}),
  'journal.revokeLink': z.object({ inviteId: hexId }),
  'journal.followers': z.object({}),
  'journal.removeFollower': z.object({ follower: address }),
  'journal.post': z
    .object({
      text: z.string().max(MAX_MESSAGE_LENGTH),
      /** Staged files (attachments.stageBegin … stageFinish): photos of the update. */
      attachments: z.array(stagingId).min(1).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
      sendUncleaned: z.boolean().optional(),
      warning: z.string().min(1).max(100).optional(),
    })
    .refine((args) => args.text.trim() !== '' || args.attachments !== undefined, {
      path: ['text'],
      message: 'an update is text or files',
    }),
  'journal.updates': z.object({}),
  /** Follows a `kindred:follow/…` link as a fresh persona of our own. */
  'journal.follow': z.object({
    link: z.string().min(1).max(8192),
    pseudonym: z.string().trim().min(1).max(64).optional(),
  }),
  'journal.following': z.object({}),
  'journal.feed': z.object({}),
  'journal.support': z.object({
    updateId: hexId,
    text: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH),
  }),
  'journal.heart': z.object({ updateId: hexId, on: z.boolean() }),
  /** A group's upcoming scheduled chats, with this device's reminder for each. */
  'schedules.upcoming': z.object({ conversationId }),
  /** Reminds this many minutes before each occurrence of a chat; null stops reminding. */
  'schedules.remind': z.object({
    conversationId,
    chatId: hexId,
    minutesBefore: z.number().int().min(0).max(1440).nullable(),
  }),
  /** The reminders due now in every group, each once per occurrence. */
  'schedules.dueReminders': z.object({}),
  /** Schedules a chat (moderators): title, first start, minutes, weekly repeats, prompts. */
  'schedules.create': z.object({
    conversationId,
    ...scheduleDetails,
  }),
  /** Replaces a chat's details and clears its cancelled occurrences (moderators). */
  'schedules.reschedule': z.object({ conversationId, chatId: hexId, ...scheduleDetails }),
  /** Cancels a chat, or one occurrence of it (moderators). */
  'schedules.cancel': z.object({
    conversationId,
    chatId: hexId,
    occurrence: z.number().int().min(1).optional(),
  }),
  /** A group's topics, General first, with unread counts (docs/groups.md "Topics and threads"). */
  'topics.list': z.object({ conversationId }),
  /** Creates a topic (moderators; members when the policy lets them): its hex id. */
  'topics.create': z.object({ conversationId, name: topicName }),
  'topics.rename': z.object({ conversationId, topic: topicId, name: topicName, reason }),
  /** Closes a topic to new posts (moderators); General cannot be closed. */
  'topics.close': z.object({ conversationId, topic: topicId, reason }),
  'topics.reopen': z.object({ conversationId, topic: topicId, reason }),
  /** Moves a message into another topic (moderators; '' General): a signed log operation. */
  'topics.move': z.object({ conversationId, messageId: hexId, topic: topicId, reason }),
  /** Marks a topic read up to now (its unread count drops to 0). */
  'topics.markRead': z.object({ conversationId, topic: topicId }),
  /** The local resources a group's moderators pinned (docs/crisis-help.md). */
  'groups.resources': z.object({ conversationId }),
  /** A group's scheduled-chat prompts asked by now, in the order asked (highlighted host messages). */
  'scheduledChat.prompts': z.object({ conversationId }),
  /** One occurrence's answers grouped by prompt (default: the latest that started). */
  'scheduledChat.transcript': z.object({
    conversationId,
    chatId: hexId,
    occurrence: z.number().int().min(1).max(520).optional(),
  }),
  /**
   * Replaces them (moderators; [] clears), in this order. Only the shape is checked here: core
   * checks the rest as it does for the CLI (CORE_INVALID_INPUT, naming the resource's place).
   */
  'groups.setResources': z.object({
    conversationId,
    resources: z
      .array(
        z.object({
          name: text(1000),
          reach: z.enum(['phone', 'text', 'web']),
          address: text(1000),
          note: text(1000),
        }),
      )
      .max(100),
  }),
  ...requestSchemas,
  ...directorySchemas,
} as const;

export type ApiMethod = keyof typeof apiSchemas;
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiSchemas)[M]>;

/** What each method answers. */
export interface ApiResults extends RequestResults, DirectoryResults {
  'app.state': AppState;
  'app.create': AppState;
  'app.unlock': AppState;
  'app.lock': AppState;
  'app.activity': null;
  'app.quickExit': null;
  'settings.update': AppState;
  'settings.changePassphrase': null;
  'personas.list': PersonaView[];
  'personas.create': PersonaView;
  'conversations.list': ConversationSummary[];
  'conversations.messages': MessageView[];
  'conversations.markRead': null;
  'conversations.send': MessageView;
  'conversations.react': null;
  'contacts.list': ContactView[];
  'contacts.createInvite': { link: string; expiresAt: number };
  'contacts.add': ContactView;
  'contacts.safetyNumber': SafetyNumberView;
  'contacts.verify': SafetyNumberView;
  'contacts.setBlocked': ContactView;
  'groups.create': GroupView;
  'groups.join': GroupView;
  'groups.details': GroupView;
  'groups.members': MemberView[];
  'groups.requests': JoinRequestView[];
  'groups.invite': { link: string; expiresAt: number };
  'groups.setInfo': GroupView;
  'groups.setPolicy': GroupView;
  'groups.moderate': null;
  'groups.moderateMessage': null;
  'groups.report': { sentTo: number };
  'groups.reports': ReportView[];
  'groups.log': LogEntryView[];
  'groups.warnings': WarningView[];
  'groups.leave': null;
  'groups.resetInvites': null;
  'search.query': SearchResultView[];
  'backup.create': BackupMadeView;
  'backup.read': { data: string; done: boolean };
  'backup.discard': null;
  'backup.checkKey': { formatted: string };
  'restore.begin': { stagingId: string };
  'restore.append': { received: number };
  'restore.inspect': { protection: BackupProtectionView };
  'restore.run': AppState;
  'restore.discard': null;
  'conversations.timer': TimerView;
  'conversations.setTimer': TimerView;
  'attachments.stageBegin': { stagingId: string };
  'attachments.stageChunk': { received: number };
  'attachments.stageFinish': StagedFileView;
  'attachments.stageCancel': null;
  'attachments.open': OpenedFileView;
  'attachments.read': { data: string; done: boolean };
  'attachments.close': null;
  'attachments.saveAs': { saved: boolean };
  'attachments.retry': null;
  'conversations.edit': null;
  'conversations.deleteForEveryone': null;
  'contacts.remove': { messages: number };
  'groups.preview': GroupPreviewView;
  'groups.dismissReport': null;
  'groups.banned': BannedView[];
  'groups.forget': null;
  'conversations.retry': null;
  'contacts.setReadReceipts': ContactView;
  'invites.use': InviteUseView;
  'crisis.directory': CrisisDirectoryView;
  'journal.mine': JournalView | null;
  'journal.create': JournalView;
  'journal.createLink': FollowLinkView;
  'journal.links': FollowLinkInfoView[];
  'journal.revokeLink': { revokedAtRelay: boolean };
  'journal.followers': JournalFollowerView[];
  'journal.removeFollower': { revokedAtRelay: boolean };
  'journal.post': PostedUpdateView;
  'journal.updates': PostedUpdateView[];
  'journal.follow': FollowedJournalView;
  'journal.following': FollowedJournalView[];
  'journal.feed': FeedUpdateView[];
  'journal.support': null;
  'journal.heart': null;
  'schedules.upcoming': ScheduledChatItemView[];
  'schedules.remind': null;
  'schedules.dueReminders': ScheduleReminderDueView[];
  'schedules.create': { chatId: string };
  'schedules.cancel': null;
  'schedules.reschedule': null;
  'topics.list': TopicView[];
  'topics.create': { id: string };
  'topics.rename': null;
  'topics.close': null;
  'topics.reopen': null;
  'topics.move': null;
  'topics.markRead': null;
  'groups.resources': GroupResourcesView;
  'scheduledChat.prompts': AskedPromptView[];
  'scheduledChat.transcript': TranscriptView;
  'groups.setResources': GroupResourcesView;
}

/**
 * Where an invite link stands for its maker: `live` (share it), `used-up`, `expired`, or
 * `revoked` (links reset, or the member who came with it removed or banned).
 */
export interface InviteUseView {
  readonly standing: 'live' | 'used-up' | 'expired' | 'revoked';
  readonly uses: number;
  /** 0: no limit. */
  readonly maxUses: number;
}

export interface ApiCall<M extends ApiMethod = ApiMethod> {
  readonly method: M;
  readonly args: ApiArgs<M>;
}

/**
 * Codes of the failures the desktop layer reports itself. Core's own codes (`CORE_…`, such as
 * CORE_VAULT_WRONG_PASSPHRASE or CORE_GROUP_MUTED) reach the window as they are.
 */
export const DesktopErrorCode = {
  /** The call is not `{ method, args }`, or a bridge message is not JSON of the right shape. */
  BadRequest: 'DESKTOP_BAD_REQUEST',
  UnknownMethod: 'DESKTOP_UNKNOWN_METHOD',
  /** The args do not pass the method's schema. */
  InvalidArgs: 'DESKTOP_INVALID_ARGS',
  /** A bridge message over the size limit. */
  TooLarge: 'DESKTOP_TOO_LARGE',
  /** Too many calls at once from one window. */
  Busy: 'DESKTOP_BUSY',
  /** The call needs the vault unlocked (or, for settings before the first run, set up). */
  Locked: 'DESKTOP_LOCKED',
  /** app.create on a device whose vault exists, or app.unlock before there is one. */
  WrongPhase: 'DESKTOP_WRONG_PHASE',
  /** A conversation id that is malformed or names nothing in this vault. */
  NoSuchConversation: 'DESKTOP_NO_SUCH_CONVERSATION',
  /** A call from a frame that is not the app's own page. */
  Forbidden: 'DESKTOP_FORBIDDEN',
  /** Anything unexpected; the details stay in the main process's log. */
  Internal: 'DESKTOP_INTERNAL',
  /** No backup waiting for download, or no staged restore file, by that id. */
  NoSuchTransfer: 'DESKTOP_NO_SUCH_TRANSFER',
  /** A piece of a file out of order or past its size, or a restore before all of it came. */
  BadChunk: 'DESKTOP_BAD_CHUNK',
  /** A staged or opened file id that is unknown, already sent or closed, or gone with a lock. */
  NoSuchFile: 'DESKTOP_NO_SUCH_FILE',
  /** A staged file's chunk not at the end of what arrived, past its size, or finished short. */
  FileOutOfOrder: 'DESKTOP_FILE_OUT_OF_ORDER',
  /** More files staged (or opened) at once than a message carries. */
  TooManyFiles: 'DESKTOP_TOO_MANY_FILES',
  /** Something only Electron's window offers (a native save dialog), asked of the dev host. */
  NotAvailable: 'DESKTOP_NOT_AVAILABLE',
} as const;

export type DesktopErrorCode = (typeof DesktopErrorCode)[keyof typeof DesktopErrorCode];

/** An error in plain words, with a stable code for tests and support. Never a stack trace. */
export interface ApiError {
  readonly code: string;
  readonly message: string;
  /**
   * What the window needs to word the error itself in its language (describeError): the name a
   * refused contact link carries (`name`), or a relay's own refusal code (`relayCode`).
   */
  readonly details?: ApiErrorDetails;
}

export interface ApiErrorDetails {
  readonly name?: string;
  readonly relayCode?: string;
}

export type CallResult<T = unknown> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

// -------------------------------------------------------------------------------------------------
// Events: main → renderer

export type AppEvent =
  /** Something in these conversations changed (a message, a reaction, an operation): refetch. */
  | { readonly type: 'changed'; readonly conversationIds: readonly ConversationId[] }
  /** Lists changed (a contact added, a group joined, a persona made): refetch lists. */
  | { readonly type: 'lists-changed' }
  /** The vault locked (on demand or after idle time): show the unlock screen. */
  | { readonly type: 'locked' }
  | { readonly type: 'connection'; readonly online: boolean }
  /**
   * A new message to notify about (shown as a desktop notification, worded in the window's
   * language: notificationWords.std.ts).
   */
  | {
      readonly type: 'notify';
      readonly conversationId: ConversationId;
      readonly about: NotificationAbout;
    }
  /** Something the person must see prominently: an identity problem, a lying relay. */
  | {
      readonly type: 'alert';
      readonly conversationId?: ConversationId;
      readonly code: string;
      /** What happened, which the window words (the `alerts` catalogue area). */
      readonly about: AlertAbout;
    }
  /** A backup being written, or restored: bytes so far, of `total` when known. */
  | {
      readonly type: 'backup-progress';
      readonly stage: 'backup' | 'restore';
      readonly bytes: number;
      readonly total?: number;
    }
  /**
   * Bytes of an attachment moved (at most ~10 per second per transfer, and always the last):
   * an upload of a message being sent (its id is not listed yet) or a download of a listed one.
   */
  | {
      readonly type: 'transfer';
      readonly conversationId: ConversationId;
      readonly messageId: string;
      readonly attachmentIndex: number;
      readonly direction: 'upload' | 'download';
      readonly done: number;
      readonly total: number;
    };

/**
 * What the preload script exposes as `window.kindred` (and what the dev host's bridge provides
 * in a browser): one call function and one event subscription.
 */
export interface KindredBridge {
  call(call: ApiCall): Promise<CallResult>;
  /** Returns a function that unsubscribes. */
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/**
 * What a notification tells, as facts. `text` (the message's, or a report's reason) and `warning`
 * are there only when the person chose to show message text; a group's never names the group.
 */
export type NotificationAbout =
  /** A 1:1 message from `from` (the contact's alias or pseudonym), under its content warning. */
  | {
      readonly kind: 'message';
      readonly from: string;
      readonly text?: string;
      readonly warning?: string;
    }
  /** A group message from the member `from`. */
  | {
      readonly kind: 'group-message';
      readonly from: string;
      readonly text?: string;
      readonly warning?: string;
    }
  /** A message of a group we moderate was reported, for `text`. */
  | { readonly kind: 'group-report'; readonly text?: string }
  /**
   * A fellow group member who is not a contact wrote to us (a message request) as `from`; its
   * text (or warning) only when the person chose to show message text.
   */
  | {
      readonly kind: 'message-request';
      readonly from: string;
      readonly text?: string;
      readonly warning?: string;
    }
  /**
   * A scheduled chat's "remind me" came due: its title and start only when notifications may
   * show text (a chat's title can name a condition as a group's name can).
   */
  | { readonly kind: 'schedule-reminder'; readonly title?: string; readonly startsAt?: number };

/**
 * An alert's facts: someone passing as a contact (`impersonation`), a relay failure retrying will
 * not fix (`relay-failure`), or a group rule the relay broke (`group-warning`: core's warning
 * kind, such as `fork`).
 */
export type AlertAbout =
  | { readonly kind: 'impersonation' }
  | { readonly kind: 'relay-failure' }
  | { readonly kind: 'group-warning'; readonly warning: string };
