import type { KindredClient } from '../../core/client/index.js';
import { toHex } from '../../core/client/index.js';
import { DesktopErrorCode } from '../shared/api.std.js';
import { DesktopError } from './DesktopError.main.js';
import type { ConversationSummary, MessageView } from '../shared/api.std.js';
import { contactConversationId, groupConversationId } from './conversationId.std.js';
import type { ContactTarget, GroupTarget } from './conversationTargets.main.js';
import { messageIdBytes, resolveConversation } from './conversationTargets.main.js';
import {
  contactMessageViews,
  contactName,
  groupMessageViews,
  previewOf,
} from './messageViews.main.js';
import type { ReadMarkers } from './VaultPreferences.main.js';
import type { RenewalNotices } from './RenewalNotices.main.js';
import { coverMessages, coverView } from './contentWarningViews.main.js';
import { moderationField } from './ModerationViews.main.js';
import { journalPersonas } from './journalPersonas.main.js';
import { checkedAnswerTag } from './scheduleChatCalls.main.js';
import type { ScheduleAnswerTagView } from '../shared/scheduledChatViews.std.js';

/**
 * The conversations.* calls: the chat list (1:1 chats of every persona and every group, newest
 * first, with unread counts from the read markers), a conversation's messages, sending, replying
 * and reacting.
 */
export class ConversationViews {
  readonly #client: KindredClient;
  readonly #markers: ReadMarkers;
  readonly #renewals: RenewalNotices | undefined;

  constructor(client: KindredClient, markers: ReadMarkers, renewals?: RenewalNotices) {
    this.#client = client;
    this.#markers = markers;
    this.#renewals = renewals;
  }

  async list(): Promise<ConversationSummary[]> {
    const summaries: ConversationSummary[] = [];
    const journals = await journalPersonas(this.#client);
    for (const session of this.#client.sessions()) {
      // A journal's conversations are its feed, on the Journal screen (docs/journal.md).
      if (journals.has(session.address)) continue;
      const persona = { address: session.address, pseudonym: session.whoami().pseudonym };
      for (const contact of await session.direct.contacts()) {
        const id = contactConversationId(session.address, contact.address);
        const entries = await session.direct.messages(contact.address);
        const read = this.#markers.get(id);
        let unread = 0;
        let lastActivity = contact.addedAt;
        let preview: Glance = { text: '' };
        for (const entry of entries) {
          lastActivity = Math.max(lastActivity, entry.storedAt);
          if (entry.kind !== 'message') continue;
          preview = { text: entry.text, warning: entry.warning };
          if (entry.direction === 'in' && entry.index > read) unread++;
        }
        summaries.push({
          id,
          kind: 'contact',
          title: contactName(contact),
          persona,
          unread,
          lastActivity,
          ...previewFields(preview),
          verified: await session.direct.isVerified(contact.address),
        });
      }
    }
    const groups = await this.#client.groups();
    for (const groupId of new Set(groups.map((each) => each.groupId))) {
      // A group held by several personas (one left it, another joined later) is one
      // conversation, in the voice of the persona KindredClient.group() picks.
      const handle = await this.#client.group(groupId);
      const group = groups.find(
        (each) => each.groupId === groupId && each.persona === handle.persona,
      );
      if (group === undefined) continue;
      const id = groupConversationId(group.groupId);
      const read = this.#markers.get(id);
      let unread = 0;
      let lastActivity = 0;
      let preview: Glance = { text: '' };
      for (const message of await handle.messages()) {
        lastActivity = Math.max(lastActivity, message.storedAt);
        preview = message.deleted ? { text: '' } : { text: message.text, warning: message.warning };
        if (!message.outgoing && message.index > read) unread++;
      }
      summaries.push({
        id,
        kind: 'group',
        title: group.name,
        persona: {
          address: group.persona,
          pseudonym: this.#client.session(group.persona).whoami().pseudonym,
        },
        unread,
        lastActivity,
        ...previewFields(preview),
        groupStatus: group.status,
        ...(await moderationField(handle, group)),
      });
    }
    return summaries.sort((a, b) => b.lastActivity - a.lastActivity || a.id.localeCompare(b.id));
  }

  /** The conversation's messages; warned ones covered unless named in `reveal`. */
  async messages(conversationId: string, reveal: readonly string[] = []): Promise<MessageView[]> {
    const target = await resolveConversation(this.#client, conversationId);
    const covered = (views: MessageView[]): MessageView[] => coverMessages(views, new Set(reveal));
    if (target.kind === 'contact') return covered(await contactViews(target));
    const views = await groupViews(target);
    const renewals = this.#renewals;
    if (renewals?.has(target.id) !== true) return covered(views);
    const names = new Map(
      (await target.handle.members()).map((member) => [member.address, member.pseudonym]),
    );
    return covered(renewals.weave(target.id, views, target.handle.persona, names));
  }

  async markRead(conversationId: string): Promise<void> {
    const target = await resolveConversation(this.#client, conversationId);
    let highest = 0;
    if (target.kind === 'contact') {
      for (const entry of await target.session.direct.messages(target.contact.address)) {
        highest = Math.max(highest, entry.index);
      }
    } else {
      for (const message of await target.handle.messages()) {
        highest = Math.max(highest, message.index);
      }
    }
    await this.#markers.mark(target.id, highest);
    // On screen now: a read receipt goes when the person turned them on for this contact.
    if (target.kind === 'contact') await target.session.direct.markRead(target.contact.address);
  }

  /**
   * Sends (or queues: the outbox retries until the relay has it) and returns the new message,
   * covered when it carries a warning. `attachments` are files the main process holds (paths):
   * in a group that requires warnings on images, an image without `warning` is refused with
   * CORE_WARNING_REQUIRED before anything is uploaded or stored. Files are cleaned, encrypted
   * and uploaded before the message is stored.
   */
  async send(
    conversationId: string,
    text: string,
    options: SendOptions = {},
  ): Promise<MessageView> {
    const { replyTo, warning, attachments, sendUncleaned, keepFileNames, topic, thread, answer } =
      options;
    const extras = {
      ...(warning === undefined ? {} : { warning }),
      ...(attachments === undefined ? {} : { attachments }),
      ...(sendUncleaned === true ? { sendUncleaned } : {}),
      ...(keepFileNames === true ? { keepFileNames } : {}),
    };
    const target = await resolveConversation(this.#client, conversationId);
    if (target.kind === 'contact') {
      if (topic !== undefined || thread !== undefined || answer !== undefined) {
        throw new DesktopError(
          DesktopErrorCode.InvalidArgs,
          'Topics, threads and scheduled chats are for groups.',
        );
      }
      const sent = await target.session.direct.send(target.contact.address, text, {
        ...(replyTo === undefined ? {} : { replyTo: messageIdBytes(replyTo) }),
        ...extras,
      });
      return coverView(findView(await contactViews(target), toHex(sent.messageId)));
    }
    const scheduleAnswer =
      answer === undefined ? undefined : await checkedAnswerTag(target.handle, answer);
    const sent = await target.handle.send(text, {
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(scheduleAnswer === undefined ? {} : { scheduleAnswer }),
      ...(topic === undefined ? {} : { topic }),
      ...(thread === undefined ? {} : { thread }),
      ...extras,
    });
    return coverView(findView(await groupViews(target), toHex(sent.messageId)));
  }

  async react(
    conversationId: string,
    messageId: string,
    emoji: string,
    remove: boolean,
  ): Promise<void> {
    const target = await resolveConversation(this.#client, conversationId);
    const chosen = remove ? '' : emoji;
    if (target.kind === 'contact') {
      await target.session.direct.react(target.contact.address, messageIdBytes(messageId), chosen);
    } else {
      await target.handle.react(messageId, chosen);
    }
  }
}

/** How a message is sent from the window (see {@link ConversationViews.send}). */
export interface SendOptions {
  /** The message it answers (hex id). */
  readonly replyTo?: string | undefined;
  /** A content warning: everyone sees the message covered under it until they reveal it. */
  readonly warning?: string | undefined;
  /** Files held by the main process (paths), sent as the message's attachments. */
  readonly attachments?: readonly string[] | undefined;
  /** Send a file that cannot be cleaned as it is (only after the person chose to). */
  readonly sendUncleaned?: boolean | undefined;
  /** Send the files under their real names (else neutral ones: docs/attachments.md). */
  readonly keepFileNames?: boolean | undefined;
  /** A group topic to post into (hex id; '' General). Groups only. */
  readonly topic?: string | undefined;
  /** A group thread to post into (its first message's hex id). Groups only. */
  readonly thread?: string | undefined;
  /** The prompt of the running scheduled chat it answers. Groups only. */
  readonly answer?: ScheduleAnswerTagView | undefined;
}

async function contactViews(target: ContactTarget): Promise<MessageView[]> {
  const entries = await target.session.direct.messages(target.contact.address);
  const views = contactMessageViews(entries, target.self, target.other);
  // Our request is not accepted yet: no receipt comes until it is, so no delivery is claimed.
  if (target.contact.requestedIn === undefined) return views;
  return views.map((view) =>
    view.author.self && view.delivery !== 'failed' ? { ...view, asRequest: true } : view,
  );
}

async function groupViews(target: GroupTarget): Promise<MessageView[]> {
  const [messages, log, topics] = await Promise.all([
    target.handle.messages(),
    target.handle.log(),
    target.handle.topics(),
  ]);
  const topicNames = new Map(topics.map((topic) => [topic.id, topic.name]));
  return groupMessageViews(messages, log, target.handle.persona, topicNames);
}

/** The newest view with this id: a message just stored. */
function findView(views: readonly MessageView[], id: string): MessageView {
  const found = views.findLast((view) => view.id === id);
  if (found === undefined)
    throw new Error('a message just stored is missing from its conversation');
  return found;
}

/** The last message as a chat list shows it: its text, or only its content warning. */
interface Glance {
  readonly text: string;
  readonly warning?: string | undefined;
}

function previewFields(glance: Glance): Pick<ConversationSummary, 'preview' | 'previewWarning'> {
  return glance.warning === undefined
    ? { preview: previewOf(glance.text) }
    : { preview: '', previewWarning: glance.warning };
}
