import type { CoreError } from '../errors/CoreError.js';
import type { Contact } from './ContactBook.js';
import type { GroupEvents } from './groups/groupContext.js';
import type { ExpiredMessage } from './disappearing/VaultSweeper.js';
import type { HistoryGap, HistoryMessage } from './direct/MessageHistory.js';
import type { MessageRequest } from './requests/MessageRequestStore.js';

/**
 * What one persona's parts (its inbox, its outbox, its links to the relay) report. The persona is
 * implied: its PersonaSession names it (`persona`) before the client passes the event on, as
 * {@link KindredClientEmits}.
 */
export interface PersonaEvents extends GroupEvents {
  /** A contact's text was stored (and will be acknowledged to the relay). */
  message: { readonly contact: Contact; readonly message: HistoryMessage };
  /**
   * A contact reacted to a message of the conversation (`messageId`, theirs or ours) with
   * `emoji`, or took their reaction back (`emoji` ''). `from` is the contact's address; the
   * message in history shows it under `reactions[from]`.
   */
  reaction: {
    readonly contact: Contact;
    readonly messageId: Uint8Array;
    readonly from: string;
    readonly emoji: string;
  };
  /** A contact's messages were skipped: a visible "missing messages" marker was stored. */
  gap: { readonly contact: Contact; readonly gap: HistoryGap };
  /**
   * A "secure session renewed" notice was stored in the conversation with `contact`: `in` when
   * the contact was restored from a backup and renewed its session with us, `out` when we were
   * and did (see SessionRenewal.ts). Emitted after it is stored, so an open window can show it.
   */
  sessionRenewed: { readonly contact: Contact; readonly direction: 'in' | 'out' };
  /**
   * The same for a group (hex `groupId`): `out` when we were restored and replaced our sender key
   * there (`member` is our address), `in` when a fellow member (`member`) renewed its session
   * with us. Nothing is stored for it: a window keeps the notice if it wants to show one.
   */
  groupSessionRenewed: {
    readonly groupId: string;
    readonly member: string;
    readonly direction: 'in' | 'out';
  };
  /** Someone used one of our invites; they are now a contact. */
  contactAdded: Contact;
  /** The relay acknowledged (durably stored) one of our messages. */
  sent: { readonly recipient: string; readonly messageId: Uint8Array; readonly sequence: number };
  /**
   * One of our messages was not delivered: the relay refused it, or could not be reached before
   * the send deadline. A user's message stays, failed with the reason, until `retry`.
   */
  sendFailed: {
    readonly recipient: string;
    readonly messageId: Uint8Array;
    readonly error: CoreError;
  };
  /**
   * An incoming envelope carried an identity key that does not derive the address it claims:
   * someone tried to pass as another persona. The envelope was refused (a `dropped` event with
   * reason CORE_IDENTITY_MISMATCH reports it too) and nothing from it was stored. An address
   * cannot change key, so there is nothing for the user to accept: only to be warned.
   */
  identityMismatch: { readonly error: CoreError };
  /**
   * An envelope was dropped: undecryptable, from a stranger, or an invalid introduction; or a
   * contact's reaction was (malformed, or to a message we do not hold).
   */
  dropped: { readonly reason: string };
  /**
   * Messages whose disappearing timer ran out left the vault (1:1 and group, from the stores and
   * the search index): an open window drops them at once.
   */
  expired: { readonly messages: readonly ExpiredMessage[] };
  /** The persona's receiving link to the relay is up (`true`) or down (`false`). */
  connection: boolean;
  /** A background failure that retrying will not fix. */
  error: CoreError;
  /**
   * Bytes of an attachment's ciphertext moved: `done` of `total`, uploading one of ours (`n`-th
   * file of the message being sent) or downloading someone's. See docs/attachments.md.
   */
  attachmentProgress: AttachmentProgress;
  /** An attachment's download ended: `downloaded`, or `failed` with a CoreError code. */
  attachment: AttachmentUpdate;
  /**
   * A contact edited (`edited`) or deleted for everyone (`deleted`) one of their messages:
   * `message` is it as it is now, `previous` as it was. No new message, so no notification.
   */
  messageChanged: {
    readonly contact: Contact;
    readonly change: 'edited' | 'deleted';
    readonly message: HistoryMessage;
    readonly previous: HistoryMessage;
  };
  /**
   * The contact whose link we used refused our introduction (the link was used up or expired):
   * we are not connected; our messages to them are marked failed.
   */
  contactRefused: { readonly contact: Contact };
  /** The contact's receipt moved our messages (`messages`, as they now are) to delivered or read. */
  receipt: { readonly contact: Contact; readonly messages: readonly HistoryMessage[] };
  /**
   * A fellow group member who is not a contact wrote to us: a new request, or one more message
   * of an open one (`request` as it now is). Nothing of it shows in a conversation until
   * accepted, and no receipt goes back (docs/messages.md, "Message requests").
   */
  messageRequest: { readonly request: MessageRequest };
}

/** Where an attachment belongs: a 1:1 conversation (the contact's address) or a group. */
export type AttachmentConversation =
  | { readonly kind: 'direct'; readonly address: string }
  | { readonly kind: 'group'; readonly groupId: Uint8Array };

export interface AttachmentProgress {
  readonly direction: 'upload' | 'download';
  readonly conversation: AttachmentConversation;
  readonly messageId: Uint8Array;
  /** The attachment's position in the message, from 0. */
  readonly n: number;
  readonly done: number;
  readonly total: number;
}

export interface AttachmentUpdate {
  readonly conversation: AttachmentConversation;
  readonly messageId: Uint8Array;
  readonly n: number;
  readonly state: 'downloaded' | 'failed';
  /** For `failed`: the CoreError code. */
  readonly error?: string;
}

/**
 * The name DirectInbound and OutboxSender know the per-persona events by. Same map as
 * {@link PersonaEvents}; what a KindredClient emits is {@link KindredClientEmits}.
 */
export type KindredClientEvents = PersonaEvents;

/** Emits one of a persona's events (the persona is implied). */
export type EmitClientEvent = <K extends keyof PersonaEvents>(
  event: K,
  value: PersonaEvents[K],
) => void;

/** Names the persona (by address) an event is about, for a client that runs several at once. */
export interface PersonaTag {
  readonly persona: string;
}

/**
 * What a running KindredClient reports, for every persona it runs. Each event keeps the fields
 * it had when a client ran one persona and adds `persona`, the address of the persona it is
 * about. Two cannot carry a field: `connection` (a boolean) reports only the main persona's link,
 * as before, while `personaConnection` reports every persona's; and `error` (a CoreError) comes
 * from any persona.
 */
export interface KindredClientEmits {
  message: PersonaEvents['message'] & PersonaTag;
  gap: PersonaEvents['gap'] & PersonaTag;
  reaction: PersonaEvents['reaction'] & PersonaTag;
  contactAdded: PersonaEvents['contactAdded'] & PersonaTag;
  sessionRenewed: PersonaEvents['sessionRenewed'] & PersonaTag;
  sent: PersonaEvents['sent'] & PersonaTag;
  sendFailed: PersonaEvents['sendFailed'] & PersonaTag;
  identityMismatch: PersonaEvents['identityMismatch'] & PersonaTag;
  dropped: PersonaEvents['dropped'] & PersonaTag;
  expired: PersonaEvents['expired'] & PersonaTag;
  /** The main persona's receiving link to the relay is up (`true`) or down (`false`). */
  connection: boolean;
  /** One persona's receiving link to the relay is up or down. */
  personaConnection: PersonaTag & { readonly connected: boolean };
  /** A background failure that retrying will not fix, in any persona. */
  error: CoreError;
  groupMessage: PersonaEvents['groupMessage'] & PersonaTag;
  groupReaction: PersonaEvents['groupReaction'] & PersonaTag;
  groupOperation: PersonaEvents['groupOperation'] & PersonaTag;
  groupWarning: PersonaEvents['groupWarning'] & PersonaTag;
  groupReport: PersonaEvents['groupReport'] & PersonaTag;
  groupSent: PersonaEvents['groupSent'] & PersonaTag;
  groupSendFailed: PersonaEvents['groupSendFailed'] & PersonaTag;
  groupKey: PersonaEvents['groupKey'] & PersonaTag;
  attachmentProgress: PersonaEvents['attachmentProgress'] & PersonaTag;
  attachment: PersonaEvents['attachment'] & PersonaTag;
  groupSessionRenewed: PersonaEvents['groupSessionRenewed'] & PersonaTag;
  messageChanged: PersonaEvents['messageChanged'] & PersonaTag;
  groupMessageChanged: PersonaEvents['groupMessageChanged'] & PersonaTag;
  contactRefused: PersonaEvents['contactRefused'] & PersonaTag;
  receipt: PersonaEvents['receipt'] & PersonaTag;
  messageRequest: PersonaEvents['messageRequest'] & PersonaTag;
}

/** Emits one of the client's events. */
export type EmitTaggedEvent = <K extends keyof KindredClientEmits>(
  event: K,
  value: KindredClientEmits[K],
) => void;
