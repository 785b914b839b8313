import type { CoreError } from '../errors/CoreError.js';
import type { Contact } from './ContactBook.js';
import type { HistoryGap, HistoryMessage } from './MessageHistory.js';

/** What a running KindredClient reports. */
export interface KindredClientEvents {
  /** A contact's text was stored (and will be acknowledged to the relay). */
  message: { readonly contact: Contact; readonly message: HistoryMessage };
  /** A contact's messages were skipped: a visible "missing messages" marker was stored. */
  gap: { readonly contact: Contact; readonly gap: HistoryGap };
  /** Someone used one of our invites; they are now a contact. */
  contactAdded: Contact;
  /** The relay acknowledged (durably stored) one of our messages. */
  sent: { readonly recipient: string; readonly messageId: Uint8Array; readonly sequence: number };
  /** The relay refused one of our messages for good; it left the outbox. */
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
  /** An envelope was dropped: undecryptable, from a stranger, or an invalid introduction. */
  dropped: { readonly reason: string };
  /** The link to the relay is up (`true`) or down (`false`). */
  connection: boolean;
  /** A background failure that retrying will not fix. */
  error: CoreError;
}

export type EmitClientEvent = <K extends keyof KindredClientEvents>(
  event: K,
  value: KindredClientEvents[K],
) => void;
