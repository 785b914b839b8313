import type { GroupMessage, KindredClient, KindredClientEmits } from '../../core/client/index.js';
import { hasImageAttachment, shownWarning, toHex } from '../../core/client/index.js';
import type {
  AppEvent,
  ConversationId,
  NotificationAbout,
  ScheduleReminderDueView,
} from '../shared/api.std.js';
import { contactConversationId, groupConversationId } from './conversationId.std.js';
import type { DesktopLogger } from './logger.main.js';
import { contactName } from './messageViews.main.js';
import { requestWarning } from './requestCalls.main.js';
import type { Preferences } from './VaultPreferences.main.js';

/** What a notification may say of a message: its warning instead of a warned message's text. */
interface Glance {
  readonly text?: string;
  readonly warning?: string;
}

function glance(text: string, warning: string | undefined): Glance {
  return warning === undefined ? { text } : { warning };
}

/** A notification's facts without anything of a message (the person did not choose to show it). */
function withoutText(about: NotificationAbout): NotificationAbout {
  switch (about.kind) {
    case 'message':
    case 'group-message':
    case 'message-request':
      return { kind: about.kind, from: about.from };
    case 'group-report':
    case 'schedule-reminder':
      return { kind: about.kind };
  }
}

/** Alert code for something a client caught the relay (or a member) doing against the rules. */
export const GROUP_WARNING_ALERT = 'DESKTOP_GROUP_WARNING';

export interface AppEventFeedOptions {
  readonly client: KindredClient;
  readonly preferences: () => Preferences;
  readonly emit: (event: AppEvent) => void;
  readonly logger: DesktopLogger;
}

/**
 * Turns what the client reports into what the window needs: which conversations to refetch,
 * when the lists changed, notifications (text only when the person chose it), alerts, and the
 * link to the relay. Nothing from a message reaches the log.
 */
export class AppEventFeed {
  readonly #options: AppEventFeedOptions;
  readonly #unsubscribe: (() => void)[] = [];
  #stopped = false;
  /**
   * Change events wait here for the end of the tick and go out as one: a join replays a group's
   * whole log, and one event per operation would make every open view refetch once per operation.
   */
  readonly #pendingChanged = new Set<ConversationId>();
  #pendingListsChanged = false;
  #flushScheduled = false;

  constructor(options: AppEventFeedOptions) {
    this.#options = options;
    const { client } = options;
    const on = <K extends keyof KindredClientEmits>(
      event: K,
      listener: (value: KindredClientEmits[K]) => void,
    ): void => {
      this.#unsubscribe.push(client.on(event, listener));
    };
    on('message', ({ persona, contact, message }) => {
      const id = contactConversationId(persona, contact.address);
      this.#changed(id);
      this.#notify(id, {
        kind: 'message',
        from: contactName(contact),
        ...glance(message.text, message.warning),
      });
    });
    on('gap', ({ persona, contact }) => {
      this.#changed(contactConversationId(persona, contact.address));
    });
    on('contactAdded', (contact) => {
      this.#emit({ type: 'lists-changed' });
      this.#changed(contactConversationId(contact.persona, contact.address));
    });
    on('sessionRenewed', ({ persona, contact }) => {
      this.#changed(contactConversationId(persona, contact.address));
    });
    on('sent', ({ persona, recipient }) => {
      this.#changed(contactConversationId(persona, recipient));
    });
    on('sendFailed', ({ persona, recipient }) => {
      this.#changed(contactConversationId(persona, recipient));
    });
    on('reaction', ({ persona, contact }) => {
      this.#changed(contactConversationId(persona, contact.address));
    });
    on('identityMismatch', ({ error }) => {
      this.#emit({
        type: 'alert',
        code: error.code,
        about: { kind: 'impersonation' },
      });
    });
    on('connection', (online) => {
      this.#emit({ type: 'connection', online });
    });
    on('error', (error) => {
      this.#options.logger.warn({ code: error.code }, 'background failure');
      this.#emit({
        type: 'alert',
        code: error.code,
        about: { kind: 'relay-failure' },
      });
    });
    on('groupMessage', ({ groupId, message, senderPseudonym }) => {
      const id = groupConversationId(groupId);
      this.#changed(id);
      if (message.outgoing) return;
      this.#groupGlance(groupId, message).then(
        (shown) => {
          this.#notify(id, { kind: 'group-message', from: senderPseudonym, ...shown });
        },
        () => {
          // The group went away meanwhile: nothing to tell.
        },
      );
    });
    on('groupReaction', ({ groupId }) => {
      this.#changed(groupConversationId(groupId));
    });
    // An edit or a deletion by its author: refetch, never notify again.
    on('messageChanged', ({ persona, contact }) => {
      this.#changed(contactConversationId(persona, contact.address));
    });
    on('groupMessageChanged', ({ groupId }) => {
      this.#changed(groupConversationId(groupId));
    });
    on('dropped', ({ reason }) => {
      // A reason is a fixed phrase or a code, never user data.
      this.#options.logger.info({ reason }, 'dropped');
    });
    on('groupKey', ({ groupId }) => {
      this.#changed(groupConversationId(groupId));
      this.#emit({ type: 'lists-changed' });
    });
    on('groupOperation', ({ groupId }) => {
      this.#changed(groupConversationId(groupId));
      this.#emit({ type: 'lists-changed' });
    });
    on('groupWarning', ({ groupId, warning }) => {
      const id = groupConversationId(groupId);
      this.#changed(id);
      this.#emit({
        type: 'alert',
        conversationId: id,
        code: GROUP_WARNING_ALERT,
        about: { kind: 'group-warning', warning: warning.kind },
      });
    });
    on('groupReport', ({ groupId, report }) => {
      this.#changed(groupConversationId(groupId));
      this.#notify(groupConversationId(groupId), { kind: 'group-report', text: report.reason });
    });
    // A message request: the inbox's count changes; its notification never names the group.
    on('messageRequest', ({ request }) => {
      this.#emit({ type: 'lists-changed' });
      const last = request.messages.at(-1);
      this.#notify(groupConversationId(request.groupId), {
        kind: 'message-request',
        from: request.card.pseudonym,
        ...(last === undefined ? {} : glance(last.text, requestWarning(last.body))),
      });
    });
    on('groupSent', ({ groupId }) => {
      this.#changed(groupConversationId(groupId));
    });
    on('groupSendFailed', ({ groupId }) => {
      this.#changed(groupConversationId(groupId));
    });
    // Disappearing messages left the vault: an open conversation drops them at once.
    on('expired', ({ persona, messages }) => {
      for (const expired of messages) {
        this.#changed(
          expired.kind === 'direct'
            ? contactConversationId(persona, expired.contact)
            : groupConversationId(toHex(expired.groupId)),
        );
      }
      this.#emit({ type: 'lists-changed' });
    });
    // Receipts moved our messages to delivered or read; a refusal marks the contact not connected.
    on('receipt', ({ persona, contact }) => {
      this.#changed(contactConversationId(persona, contact.address));
    });
    on('contactRefused', ({ persona, contact }) => {
      this.#changed(contactConversationId(persona, contact.address));
      this.#emit({ type: 'lists-changed' });
    });
  }

  /**
   * What a group notification may say of a message: its warning when it has one, or "Sensitive
   * image" for an unwarned image in a group that requires warnings (the policy is read only then).
   */
  async #groupGlance(groupId: string, message: GroupMessage): Promise<Glance> {
    const body = {
      ...(message.warning === undefined ? {} : { warning: message.warning }),
      attachments: (message.attachments ?? []).map((attachment) => attachment.pointer),
    };
    const policy =
      message.warning === undefined && hasImageAttachment(body)
        ? (await (await this.#options.client.group(groupId)).details()).policy
        : { requireImageWarnings: false };
    return glance(message.text, shownWarning(body, policy));
  }

  /** Stops listening; nothing is emitted afterwards (the vault is locking). */
  /** A scheduled chat's reminder came due (ReminderPoller): a notification, as for a message. */
  remind(reminder: ScheduleReminderDueView): void {
    this.#notify(reminder.conversationId, {
      kind: 'schedule-reminder',
      title: reminder.title,
      startsAt: reminder.startsAt,
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#pendingChanged.clear();
    this.#pendingListsChanged = false;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  #emit(event: AppEvent): void {
    if (this.#stopped) return;
    if (event.type === 'lists-changed') {
      this.#pendingListsChanged = true;
      this.#scheduleFlush();
      return;
    }
    this.#options.emit(event);
  }

  #changed(id: ConversationId): void {
    if (this.#stopped) return;
    this.#pendingChanged.add(id);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (this.#stopped) return;
      if (this.#pendingChanged.size > 0) {
        const conversationIds = [...this.#pendingChanged];
        this.#pendingChanged.clear();
        this.#options.emit({ type: 'changed', conversationIds });
      }
      if (this.#pendingListsChanged) {
        this.#pendingListsChanged = false;
        this.#options.emit({ type: 'lists-changed' });
      }
    });
  }

  /**
   * A notification, when the person wants them; its text only when they chose to show it. A
   * group's never names the group: group names describe conditions ("Rare-1 sarcoma circle"),
   * and a notification shows on a locked screen and over a shoulder. The window says which group
   * it was once opened.
   */
  #notify(conversationId: ConversationId, about: NotificationAbout): void {
    const { enabled, showText } = this.#options.preferences().notifications;
    if (!enabled) return;
    this.#emit({ type: 'notify', conversationId, about: showText ? about : withoutText(about) });
  }
}
