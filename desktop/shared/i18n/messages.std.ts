import { mergeAreas, type IdsOf } from './catalogue.std.js';
import { appMessages } from './messages/app.std.js';
import { attachmentMessages } from './messages/attachments.std.js';
import { backupMessages } from './messages/backup.std.js';
import { bridgeErrorMessages } from './messages/bridgeErrors.std.js';
import { commonMessages } from './messages/common.std.js';
import { componentsMessages } from './messages/components.std.js';
import { contactsMessages } from './messages/contacts.std.js';
import { conversationMessages } from './messages/conversation.std.js';
import { deliveryMessages } from './messages/delivery.std.js';
import { errorMessages } from './messages/errors.std.js';
import { groupsMessages } from './messages/groups.std.js';
import { groupFormMessages } from './messages/groupForm.std.js';
import { groupMembersMessages } from './messages/groupMembers.std.js';
import { facilitatorsMessages } from './messages/facilitators.std.js';
import { groupPageMessages } from './messages/groupPage.std.js';
import { groupJoiningMessages } from './messages/groupJoining.std.js';
import { groupReportsMessages } from './messages/groupReports.std.js';
import { messageMessages } from './messages/message.std.js';
import { onboardingMessages } from './messages/onboarding.std.js';
import { passphraseMessages } from './messages/passphrase.std.js';
import { personasMessages } from './messages/personas.std.js';
import { searchMessages } from './messages/search.std.js';
import { settingsMessages } from './messages/settings.std.js';
import { shellMessages } from './messages/shell.std.js';
import { warningsMessages } from './messages/warnings.std.js';
import { timersMessages } from './messages/timers.std.js';
import { messageActionsMessages } from './messages/messageActions.std.js';
import { groupAboutMessages } from './messages/groupAbout.std.js';
import { filesMessages } from './messages/files.std.js';
import { emojiMessages } from './messages/emoji.std.js';
import { deliveryReasonMessages } from './messages/deliveryReasons.std.js';
import { noticeMessages } from './messages/notices.std.js';
import { alertMessages } from './messages/alerts.std.js';
import { notificationMessages } from './messages/notifications.std.js';
import { crisisMessages } from './messages/crisis.std.js';
import { journalMessages } from './messages/journal.std.js';
import { topicsMessages } from './messages/topics.std.js';
import { groupResourceMessages } from './messages/groupResources.std.js';
import { scheduleMessages } from './messages/schedules.std.js';
import { scheduledChatMessages } from './messages/scheduledChat.std.js';
import { requestMessages } from './messages/requests.std.js';
import { directoryMessages } from './messages/directory.std.js';
import { directoryListingMessages } from './messages/directoryListing.std.js';

/**
 * The window's words in every language it speaks, one area per file in messages/ (an area is a
 * screen or a part of one). A new area is added here.
 */
export const AREAS = [
  commonMessages,
  searchMessages,
  backupMessages,
  settingsMessages,
  conversationMessages,
  messageMessages,
  attachmentMessages,
  deliveryMessages,
  errorMessages,
  groupsMessages,
  onboardingMessages,
  shellMessages,
  appMessages,
  componentsMessages,
  contactsMessages,
  groupFormMessages,
  groupMembersMessages,
  facilitatorsMessages,
  groupPageMessages,
  groupJoiningMessages,
  groupReportsMessages,
  warningsMessages,
  timersMessages,
  messageActionsMessages,
  groupAboutMessages,
  filesMessages,
  emojiMessages,
  deliveryReasonMessages,
  noticeMessages,
  alertMessages,
  notificationMessages,
  personasMessages,
  passphraseMessages,
  bridgeErrorMessages,
  crisisMessages,
  journalMessages,
  topicsMessages,
  groupResourceMessages,
  scheduleMessages,
  scheduledChatMessages,
  requestMessages,
  directoryMessages,
  directoryListingMessages,
] as const;

export const MESSAGES = mergeAreas(AREAS);

/** The id of one of the window's messages. */
export type MessageId = IdsOf<typeof MESSAGES>;
