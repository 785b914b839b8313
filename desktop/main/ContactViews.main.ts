import type { Contact, KindredClient, PersonaSession } from '../../core/client/index.js';
import { CoreError, CoreErrorCode, bytesEqual } from '../../core/client/index.js';
import type { ContactView, SafetyNumberView } from '../shared/api.std.js';
import { contactConversationId } from './conversationId.std.js';
import { resolveContact } from './conversationTargets.main.js';
import { namedLinkRefusal } from './DeliveryViews.main.js';

const HOUR_MS = 3_600_000;

/**
 * How long adding a contact waits for the inviter's app to answer the introduction: its grant
 * (connected) or its refusal (the link was used up meanwhile: for a while after a link's last use
 * the relay still takes it, so only the inviter can say). An inviter offline answers later; the
 * contact is added meanwhile, as before.
 */
const ANSWER_WAIT_MS = 5_000;
const ANSWER_POLL_MS = 100;

/** The refusal an inviter's answer stands for, as the code adding the link would have given. */
const REFUSAL_CODES: Readonly<Record<NonNullable<Contact['refused']>, CoreErrorCode>> = {
  'used-up': CoreErrorCode.InviteUsedUp,
  expired: CoreErrorCode.InviteExpired,
  unknown: CoreErrorCode.InvalidInviteLink,
};

/**
 * The contacts.* calls: the contact list of every persona, invite links to the main persona
 * (the one contacts know), adding a contact from a link, and safety numbers.
 */
export class ContactViews {
  readonly #client: KindredClient;

  constructor(client: KindredClient) {
    this.#client = client;
  }

  async list(): Promise<ContactView[]> {
    const views: ContactView[] = [];
    for (const session of this.#client.sessions()) {
      for (const contact of await session.direct.contacts()) {
        views.push(await contactView(session, contact));
      }
    }
    return views;
  }

  async createInvite(
    maxUses: number,
    expiresInHours: number,
  ): Promise<{ link: string; expiresAt: number }> {
    const invite = await this.#client.createInvite({
      maxUses,
      expiresAt: Date.now() + expiresInHours * HOUR_MS,
    });
    return { link: invite.link, expiresAt: invite.expiresAt };
  }

  /**
   * Adds a contact: to the main persona, or for a link of another relay to a persona there (made
   * for it when the vault has none: docs/messages.md); the introduction goes out through the outbox. When the
   * inviter's app refuses it within ANSWER_WAIT_MS, nobody is added and the refusal is the
   * answer, as when the relay refuses the link at once: the window never says "is now a contact"
   * of someone who will never get a message.
   */
  async add(link: string, alias: string | undefined): Promise<ContactView> {
    const added = await this.#client
      .addContact(link, alias === undefined ? {} : { alias })
      .catch((error: unknown) => {
        throw namedLinkRefusal(error, link);
      });
    const session = this.#client.session(added.persona);
    const contact = await answered(session, added);
    if (contact.refused !== undefined) {
      await session.direct.removeContact(contact.address);
      const code = REFUSAL_CODES[contact.refused];
      throw namedLinkRefusal(new CoreError(code, 'the inviter refused the link'), link);
    }
    return contactView(session, contact);
  }

  async safetyNumber(conversationId: string): Promise<SafetyNumberView> {
    const { session, contact } = await resolveContact(this.#client, conversationId);
    const number = await session.direct.safetyNumber(contact.address);
    return { digits: groupDigits(number.digits), verified: number.verified };
  }

  /**
   * Blocks (revoking their delivery key at the relay) or unblocks (granting a fresh one). When
   * the relay cannot be reached the change holds here and reaches the relay on the next
   * connection.
   */
  async setBlocked(conversationId: string, blocked: boolean): Promise<ContactView> {
    const { session, contact } = await resolveContact(this.#client, conversationId);
    const result = blocked
      ? await session.direct.block(contact.address)
      : await session.direct.unblock(contact.address);
    return contactView(session, result.contact);
  }

  /** Marks the contact verified when the digits match (spaces ignored); refuses otherwise. */
  async verify(conversationId: string, digits: string): Promise<SafetyNumberView> {
    const { session, contact } = await resolveContact(this.#client, conversationId);
    await session.direct.verify(contact.address, digits);
    return this.safetyNumber(conversationId);
  }
}

export async function contactView(session: PersonaSession, contact: Contact): Promise<ContactView> {
  return {
    conversationId: contactConversationId(session.address, contact.address),
    address: contact.address,
    ...(contact.alias === undefined ? {} : { alias: contact.alias }),
    pseudonym: contact.pseudonym,
    persona: session.address,
    verified: await session.direct.isVerified(contact.address),
    addedAt: contact.addedAt,
    blocked: contact.blocked === true,
    ...(contact.refused === undefined ? {} : { refused: contact.refused }),
    readReceipts: contact.readReceipts === true,
  };
}

/** Sixty digits as twelve groups of five, the way people read them out to each other. */
export function groupDigits(digits: string): string {
  return (digits.replace(/\s+/gu, '').match(/.{1,5}/gu) ?? []).join(' ');
}

/**
 * The contact once the inviter's app answered the introduction (a new access key: its grant, or
 * `refused`), or as it stands after ANSWER_WAIT_MS. Polled: the answer is a vault change made by
 * the inbound path, which has no event for a grant.
 */
async function answered(session: PersonaSession, added: Contact): Promise<Contact> {
  const deadline = Date.now() + ANSWER_WAIT_MS;
  for (;;) {
    const contact = await session.direct.contact(added.address);
    const answer = contact.refused !== undefined || !bytesEqual(contact.accessKey, added.accessKey);
    if (answer || Date.now() >= deadline) return contact;
    await new Promise((resolve) => setTimeout(resolve, ANSWER_POLL_MS));
  }
}
