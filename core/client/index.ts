// The client agent's public surface, for the CLI, the desktop app, benchmarks and tests: all of
// core's surface (protocol, crypto, rules, errors, storage, vault) and the client on top of it.
// The relay imports core/index.js only; lint keeps server/ out of here.
export * from '../index.js';
export * from './KindredClient.js';
export type {
  ClientIdentity,
  CreatedInvite,
  KindredClientOptions,
  PersonaSession,
  RelayTarget,
  FlushOptions,
} from './PersonaSession.js';
export type * from './clientEvents.js';
export type { Contact } from './ContactBook.js';
export type { ContactCardData } from './contactCard.js';
export * from './ContactInviteLink.js';
export type * from './direct/MessageHistory.js';
export type { LocalData } from './LocalData.js';
export { MAX_LOCAL_DATA_BYTES, MAX_LOCAL_DATA_KEY_LENGTH } from './LocalData.js';
export { MAX_REACTION_LENGTH, isValidReaction } from './messages/messageBodyCodec.js';
export { AuthorChangeDrop } from './messages/authorChanges.js';
export { MAX_ATTACHMENTS } from './messages/messageBodyCodec.js';
export { ATTACHMENTS_FOLDER, verifyCiphertext } from './attachments/AttachmentTransfers.js';
export type {
  AttachmentRef,
  AttachmentSendOptions,
  AttachmentTransfers,
} from './attachments/AttachmentTransfers.js';
export type { DirectSendOptions } from './direct/DirectSession.js';
export type { GroupSendOptions } from './groups/GroupMessaging.js';
// Content warnings: their limits and presets, and the group rule on images.
export {
  MAX_WARNING_LENGTH,
  WARNING_PRESETS,
  checkWarning,
  isValidWarning,
} from './messages/messageBodyCodec.js';
export * from './messages/contentWarnings.js';
export { Backoff } from './Backoff.js';
export * from './ConnectSchedule.js';
export { parseProxyUrl } from './SocksProxy.js';
export type { SocksProxy } from './SocksProxy.js';
export { DEFAULT_ANONYMOUS_IDLE_CLOSE_MS } from './AnonymousLinks.js';
export type { BackoffOptions } from './Backoff.js';
export * from './RelayConnection.js';
export { RelayRejectedError } from './RelayRejectedError.js';
export { coreCodeForRelayRefusal } from './relayRefusalCodes.js';
export { checkRelayUrl, isLoopbackHost } from './relayUrl.js';
export { GroupHandle } from './groups/GroupHandle.js';
export type * from './groups/GroupSession.js';
export type * from './groups/GroupReading.js';
export type * from './groups/GroupStore.js';
export type * from './groups/GroupReports.js';
export type * from './groups/GroupPreview.js';
export type * from './groups/reportHandling.js';
export { reportHandling } from './groups/reportHandling.js';
// The client's codecs and their limits: the CLI checks arguments against the same limits, and
// the benchmark encodes and opens what a client would with the client's own code.
export * from './groups/groupCodec.js';
export { decodeContent, encodeContent } from './contentCodec.js';
export {
  MAX_TEXT_LENGTH,
  MESSAGE_ID_BYTES,
  decodeMessageBody,
  encodeMessageBody,
} from './messages/messageBodyCodec.js';
export type * from './messages/MessageBody.js';
export type * from './messages/ConversationStore.js';
export type { ReceivedContent } from './contentCodec.js';
// Attachments on the device: metadata scrubbing, previews, encryption and pointers.
export * from '../attachments/index.js';
// Blob transfers: resumable uploads and downloads of attachment ciphertexts (docs/protocol.md#blobs).
export * from './blobs/BlobTransfer.js';
export * from './blobs/blobGrants.js';
// Search over every conversation on the device, from an index sealed in the vault (docs/search.md).
export * from './search/index.js';
// Disappearing messages: timers in words and back, the sweeper's hook (docs/messages.md).
export {
  checkTimerSeconds,
  describeTimerChange,
  parseTimer,
  timerWords,
} from './disappearing/timers.js';
export { isValidTimer, timerChangeBody } from './messages/messageBodyCodec.js';
export { DEFAULT_DISAPPEARING_SWEEP_MS } from './disappearing/VaultSweeper.js';
export type { ExpiredMessage, ExpiryListener, VaultSweeper } from './disappearing/VaultSweeper.js';
export { GroupScheduleHandle } from './groups/GroupScheduleHandle.js';
export type {
  ScheduleChatInput,
  ScheduleClock,
  ScheduleTranscript,
  ScheduledChatView,
  ScheduledPromptView,
  TranscriptSection,
} from './groups/GroupSchedules.js';
export type { ScheduleAnswerTag } from './messages/MessageBody.js';
export {
  MAX_SCHEDULE_DURATION_MINUTES,
  MAX_SCHEDULE_PROMPTS,
  MAX_SCHEDULE_PROMPT_LENGTH,
  MAX_SCHEDULE_TITLE_LENGTH,
} from './groups/scheduleCodec.js';
export { MAX_SCHEDULE_OCCURRENCES, MAX_SCHEDULED_CHATS } from '../groups/scheduleRules.js';
export { WEEK_MS, formatInZone } from './groups/scheduleTimes.js';
// Journals: updates to followers, support and hearts back to the author (docs/journal.md).
export { Journals } from './journal/Journals.js';
export type {
  FeedUpdate,
  FollowLink,
  FollowLinkInfo,
  FollowedJournal,
  Follower,
  JournalPostOptions,
  JournalSummary,
  PostedUpdate,
  SupportReceived,
} from './journal/Journals.js';
export { FOLLOW_LINK_PREFIX, isFollowLink } from './journal/followLink.js';
export { JOURNAL_HEART } from './journal/journalRules.js';
// Help in a crisis: crisis lines per country, shipped as data, read offline (docs/crisis-help.md).
export * from '../crisis/index.js';
export {
  DEFAULT_REMINDER_MINUTES,
  MAX_REMINDER_MINUTES,
  ScheduleReminders,
} from './groups/ScheduleReminders.js';
export type { DueReminder, ScheduleReminder } from './groups/ScheduleReminders.js';
// Topic operations in the moderation log, as facts (docs/groups.md, "Topics and threads").
export { parseTopicLogDetail } from './groups/topicLogDetail.js';
export type { TopicLogFacts } from './groups/topicLogDetail.js';
export * from './groups/groupResources.js';
// The directory of listed groups: follow, sync, search on the device, join (docs/directory.md).
export { Directory } from './directory/Directory.js';
export type {
  FollowedDirectory,
  ListingDetails,
  ListingFacilitator,
} from './directory/Directory.js';
export type { DirectoryHit, DirectoryQuery } from './directory/DirectoryIndex.js';
export { DEFAULT_DIRECTORY_RESULTS } from './directory/DirectoryIndex.js';
export type { DirectoryListingView } from './directory/listingView.js';
export type { DirectorySyncResult } from './directory/syncDirectory.js';
export type { RefusedListing } from './directory/checkEntries.js';
export type { ListingRequest, ListingRequested } from './directory/listingRequest.js';
export { LISTING_LINK_LIFETIME_MS } from './directory/listingRequest.js';
export * from '../directory/conditionVocabulary.js';
export type { ListingAudience, MemberBucket } from '../directory/directoryListing.js';
