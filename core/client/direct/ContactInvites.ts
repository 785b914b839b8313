import { randomBytes } from 'node:crypto';
import { bytesEqual, ownedBytes } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { Contact } from '../ContactBook.js';
import { checkAlias } from '../ContactBook.js';
import type { ContactCardData } from '../contactCard.js';
import {
  INVITE_ID_BYTES,
  createContactInviteLink,
  parseContactInviteLink,
} from '../ContactInviteLink.js';
import { encodeContent } from '../contentCodec.js';
import type { DeliveryKeyKeeper } from '../DeliveryKeyKeeper.js';
import { contactKeyScope, inviteKeyScope } from '../deliveryKeyScopes.js';
import { newMessageId } from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import { RelayErrorCode } from '../../protocol/RelayErrorCode.js';
import { isPassingRelayFailure } from '../relayFailure.js';

/** A contact invite this client made. */
export interface CreatedInvite {
  readonly link: string;
  readonly inviteId: Uint8Array;
  readonly expiresAt: number;
  readonly maxUses: number;
}

/** What ContactInvites needs from the persona it belongs to. */
export interface ContactInvitesOptions {
  readonly state: PersonaState;
  /** The relay's trust root, pinned: contacts must share it. */
  readonly trustRoot: Uint8Array;
  /** The relay's address now (read for each card, so cards carry the address it moved to). */
  readonly relayUrl: () => string;
  readonly deliveryKeys: DeliveryKeyKeeper;
  /** An anonymous connection for a new contact's prekey bundle. */
  readonly lookup: () => Promise<RelayConnection>;
  /** Throws CORE_VAULT_LOCKED once the persona's session stopped. */
  readonly checkOpen: () => void;
  /** Something new waits in the 1:1 outbox. */
  readonly kickOutbox: () => void;
}

/**
 * How a persona makes contacts: signed invite links to itself, each with a delivery key of its
 * own, and adding a contact from theirs (prekey bundle fetched anonymously, session started, our
 * card queued as the introduction). Introductions that arrive are DirectInbound's.
 */
export class ContactInvites {
  readonly #state: PersonaState;
  readonly #options: ContactInvitesOptions;

  constructor(options: ContactInvitesOptions) {
    this.#state = options.state;
    this.#options = options;
  }

  /**
   * A signed invite link to this persona. The link carries a delivery key of its own, registered
   * with the relay (so this needs the relay) with the link's expiry: the relay refuses it once the
   * link expires, even while we are offline, and we revoke it once the link is used up.
   */
  async createInvite(options: { maxUses: number; expiresAt: number }): Promise<CreatedInvite> {
    this.#options.checkOpen();
    const state = this.#state;
    const inviteId = ownedBytes(randomBytes(INVITE_ID_BYTES));
    // Checked before a key is registered for it (createContactInviteLink checks again).
    if (
      !Number.isSafeInteger(options.expiresAt) ||
      options.expiresAt < 0 ||
      (options.expiresAt !== 0 && options.expiresAt <= Date.now())
    ) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'invalid invite expiry');
    }
    if (!Number.isInteger(options.maxUses) || options.maxUses < 0 || options.maxUses > 0xffffffff) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'invalid invite use limit');
    }
    const key = await this.#options.deliveryKeys.issue(inviteKeyScope(inviteId), {
      expiresAt: options.expiresAt,
    });
    const { link } = createContactInviteLink(state.persona, {
      card: this.#card(key.key),
      expiresAt: options.expiresAt,
      maxUses: options.maxUses,
      inviteId,
    });
    await state.transact(() =>
      state.invites.record({
        inviteId,
        createdAt: Date.now(),
        expiresAt: options.expiresAt,
        maxUses: options.maxUses,
        uses: 0,
      }),
    );
    return { link, inviteId, expiresAt: options.expiresAt, maxUses: options.maxUses };
  }

  /**
   * Revokes an invite link this persona made before it is used up or expires: its record goes
   * (an introduction against it is refused) and its delivery key is revoked at the relay (in the
   * (`revokedAtRelay`; when the relay cannot be reached, on the next connection), so the link's
   * holders cannot even reach us. CORE_INVALID_INPUT for an invite this persona does not hold.
   */
  async revokeInvite(inviteId: Uint8Array): Promise<{ revokedAtRelay: boolean }> {
    this.#options.checkOpen();
    const state = this.#state;
    await state.transact(async () => {
      if ((await state.invites.get(inviteId)) === undefined) {
        throw new CoreError(CoreErrorCode.InvalidInput, 'no such invite link');
      }
      await state.invites.delete(inviteId);
      await state.deliveryKeys.revoke(inviteKeyScope(inviteId));
    });
    try {
      await this.#options.deliveryKeys.sync();
      return { revokedAtRelay: true };
    } catch (error) {
      if (isPassingRelayFailure(error)) return { revokedAtRelay: false };
      throw error;
    }
  }

  /**
   * Adds a contact from their invite link: verifies the link, fetches their prekey bundle
   * anonymously with their access key, refuses (CORE_IDENTITY_MISMATCH) a bundle that is not for
   * the key the link pins, starts the session, and queues an introduction (our card) as the first
   * message. Call `flushOutbox` to wait until the relay has it.
   */
  async addContact(link: string, options: { alias?: string } = {}): Promise<Contact> {
    this.#options.checkOpen();
    const state = this.#state;
    const invite = parseContactInviteLink(link);
    const card = invite.card;
    if (card.address === state.persona.address) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'that invite link is your own');
    }
    if (!bytesEqual(card.trustRoot, this.#options.trustRoot)) {
      throw new CoreError(
        CoreErrorCode.RelayMismatch,
        'the contact uses another relay than this persona: add it as a persona registered there',
      );
    }
    const alias = options.alias === undefined ? undefined : checkAlias(options.alias);
    await state.transact(async () => {
      if ((await state.contacts.get(card.address)) !== undefined) {
        throw new CoreError(CoreErrorCode.ContactExists, 'that persona is already a contact');
      }
    });
    const connection = await this.#options.lookup();
    const bundle = await connection
      .request(
        { case: 'fetchPreKeyBundle', value: { address: card.address, accessKey: card.accessKey } },
        'preKeyBundle',
      )
      .catch((error: unknown) => {
        throw refusedLinkError(error, invite.expiresAt);
      });
    // The relay hands out the bundle; the link (signed by the person) pins the identity key, and
    // the link's address derives from that key. So a relay substituting its own key, or answering
    // with another persona's bundle, is impersonating the contact: caught here, before any session.
    if (bundle.address !== card.address || !bytesEqual(bundle.identityKey, card.identityKey)) {
      throw new CoreError(
        CoreErrorCode.IdentityMismatch,
        'the relay returned a prekey bundle whose identity key does not match the invite link',
      );
    }
    const signedPreKey = bundle.signedPreKey;
    const kyberPreKey = bundle.kyberPreKey;
    if (signedPreKey === undefined || kyberPreKey === undefined) {
      throw new CoreError(CoreErrorCode.InvalidPreKeyBundle, 'prekey bundle incomplete');
    }
    const contact: Contact = {
      ...card,
      ...(alias === undefined ? {} : { alias }),
      addedAt: Date.now(),
      addedVia: 'link',
    };
    // The key they will write to us with: theirs alone, so blocking them revokes exactly it.
    const ourKey = await this.#options.deliveryKeys.issue(contactKeyScope(card.address));
    await state.transact(async () => {
      await state.contacts.add(contact);
      await state.cipher.startSession({
        address: bundle.address,
        registrationId: bundle.registrationId,
        identityKey: bundle.identityKey,
        signedPreKey,
        kyberPreKey,
        ...(bundle.preKey === undefined ? {} : { preKey: bundle.preKey }),
      });
      const sequence = await state.history.takeOutgoingSequence(card.address);
      const sentAt = Date.now();
      const messageId = newMessageId();
      const { bytes } = encodeContent({
        messageId,
        sequence,
        sentAt,
        body: {
          case: 'introduction',
          value: { inviteId: invite.inviteId, card: this.#card(ourKey.key) },
        },
      });
      await state.outbox.put({
        messageId,
        recipient: card.address,
        sequence,
        content: bytes,
        enqueuedAt: sentAt,
      });
    });
    await state.store.flush();
    this.#options.kickOutbox();
    return contact;
  }

  /** Our card, with the delivery key its holder is to write to us with. */
  #card(accessKey: Uint8Array): ContactCardData {
    const persona = this.#state.persona;
    return {
      relayUrl: this.#options.relayUrl(),
      trustRoot: this.#options.trustRoot,
      address: persona.address,
      identityKey: persona.identityPublicKey,
      accessKey,
      profileKey: persona.profileKey,
      pseudonym: persona.pseudonym,
    };
  }
}

/** The relay may run a little ahead of our clock: a refusal this close to the expiry is it. */
const EXPIRY_SKEW_MS = 60_000;

/**
 * The relay refuses an invite link's key once the inviter revoked it (used up) or it expired,
 * and answers both like an unknown key (RELAY_ACCESS_DENIED). The link itself is signed and
 * verified by now, so a refusal of its key means the link is spent: CORE_INVITE_USED_UP, or
 * CORE_INVITE_EXPIRED when its expiry is (nearly) past. Anything else passes unchanged.
 */
export function refusedLinkError(error: unknown, expiresAt: number, now = Date.now()): unknown {
  if (
    !RelayRejectedError.isRelayRejection(error) ||
    error.relayCode !== RelayErrorCode.AccessDenied
  ) {
    return error;
  }
  if (expiresAt !== 0 && expiresAt <= now + EXPIRY_SKEW_MS) {
    return new CoreError(CoreErrorCode.InviteExpired, 'the invite link has expired', {
      cause: error,
    });
  }
  return new CoreError(CoreErrorCode.InviteUsedUp, 'the invite link was already used', {
    cause: error,
  });
}
