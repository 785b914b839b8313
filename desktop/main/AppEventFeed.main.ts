import type { GroupMessage, KindredClient, KindredClientEmits } from '../../core/client/index.js';
import { hasImageAttachment, shownWarning, toHex } from '../../core/client/index.js';
import type { AppEvent, ConversationId } from '../shared/api.std.js';
import { contactConversationId, groupConversationId } from './conversationId.std.js';
import type { DesktopLogger } from './logger.main.js';
import { contactName } from './messageViews.main.js';
import { glanceText } from './contentWarningViews.main.js';
import type { Preferences } from './VaultPreferences.main.js';

/** The title of every group notification: the same for all groups, so it names none. */
export const GROUP_NOTIFICATION_TITLE = 'New group message';

/** A group warning in words a member understands; the kind stays in the alert's code. */
const WARNING_WORDS: Readonly<Record<string, string>> = {
  'forged-operation':
    'The relay passed on a group change nobody with that right signed. It was refused.',
  fork: 'The relay is showing members different versions of this group.',
  'withheld-operations': 'The relay seems to hold back changes to this group from you.',
  'ghost-member': 'A message came from someone who is not a member. It was refused.',
  'muted-post': 'A muted member’s message came through the relay. It was refused.',
  'restricted-post':
    'A message from someone not allowed to post came through the relay. It was refused.',
  'slow-mode-post': 'A message that broke slow mode came through the relay. It was refused.',
  'withheld-posts': 'The relay seems to hold back some of a member’s messages from you.',
  'reordered-posts': 'The relay delivered a member’s messages out of order.',
};

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
      this.#notify(id, contactName(contact), glanceText(message.text, message.warning));
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
        message: 'Someone tried to pass as one of your contacts. Nothing from them was accepted.',
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
        message: 'Kindred ran into a problem talking to the relay that retrying will not fix.',
      });
    });
    on('groupMessage', ({ groupId, message, senderPseudonym }) => {
      const id = groupConversationId(groupId);
      this.#changed(id);
      if (message.outgoing) return;
      this.#groupGlance(groupId, message).then(
        (text) => {
          this.#notifyGroup(groupId, `${senderPseudonym}: ${text}`);
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
        message:
          WARNING_WORDS[warning.kind] ?? 'The relay did something against this group’s rules.',
      });
    });
    on('groupReport', ({ groupId, report }) => {
      this.#changed(groupConversationId(groupId));
      this.#notifyGroup(groupId, `A message was reported: ${report.reason}`);
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
  async #groupGlance(groupId: string, message: GroupMessage): Promise<string> {
    const body = {
      ...(message.warning === undefined ? {} : { warning: message.warning }),
      attachments: (message.attachments ?? []).map((attachment) => attachment.pointer),
    };
    const policy =
      message.warning === undefined && hasImageAttachment(body)
        ? (await (await this.#options.client.group(groupId)).details()).policy
        : { requireImageWarnings: false };
    return glanceText(message.text, shownWarning(body, policy));
  }

  /** Stops listening; nothing is emitted afterwards (the vault is locking). */
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

  #notify(conversationId: ConversationId, title: string, text: string): void {
    const { enabled, showText } = this.#options.preferences().notifications;
    if (!enabled) return;
    this.#emit({ type: 'notify', conversationId, title, body: showText ? text : '' });
  }

  /**
   * A group's notification never names the group: group names describe conditions ("Rare-1
   * sarcoma circle"), and a notification shows on a locked screen and over a shoulder. The window
   * says which group it was once opened.
   */
  #notifyGroup(groupId: string, text: string): void {
    this.#notify(groupConversationId(groupId), GROUP_NOTIFICATION_TITLE, text);
  }
}
