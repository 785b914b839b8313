import { toHex, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { checkPseudonym } from '../persona/Persona.js';
import { isPersonaAddress } from '../persona/personaAddress.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import type { ContactCardData } from './contactCard.js';
import { RecordReader, encodeRecord } from './jsonRecord.js';

/** A persona we can write to. */
export interface Contact extends ContactCardData {
  /** The name the user gave this contact; unique, case-insensitively. */
  readonly alias?: string;
  readonly addedAt: number;
  /**
   * `link`: we used their invite. `introduction`: they used ours. `request`: one of us wrote to
   * the other as a fellow group member (a message request) and it was accepted, or is waiting.
   */
  readonly addedVia: 'link' | 'introduction' | 'request';
  /**
   * We wrote to this fellow member as a message request (hex id of the group) and they have not
   * accepted yet: what we send goes as a request, with our request key. Cleared by their
   * DeliveryKeyGrant (their accept). Absent: a contact like any other.
   */
  readonly requestedIn?: string;
  /**
   * Blocked: their delivery key is revoked at the relay, what they send is dropped and nothing is
   * sent to them. Absent: not blocked.
   */
  readonly blocked?: boolean;
  /**
   * They refused our introduction (their link was used up, had expired, or was not theirs): we
   * are not connected, and nothing sent to them can arrive. Absent: not refused.
   */
  readonly refused?: InviteRefusalReason;
  /** We send them read receipts (off by default, set per contact). Absent: off. */
  readonly readReceipts?: boolean;
}

/** Why an inviter refused our introduction (proto InviteRefused.Reason). */
export type InviteRefusalReason = 'used-up' | 'expired' | 'unknown';

const CONTACTS = 'client/contacts';
const ALIASES = 'client/aliases';

/** The contacts of one persona, by address, with an alias index. */
export class ContactBook {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async get(address: string): Promise<Contact | undefined> {
    if (!isPersonaAddress(address)) return undefined;
    const bytes = await this.#store.get(`${CONTACTS}/${address}`);
    return bytes === undefined ? undefined : parseContact(bytes);
  }

  /** A contact by alias (case-insensitive) or address; CORE_CONTACT_NOT_FOUND otherwise. */
  /** Finds a contact by address, alias, or (when unique) pseudonym. */
  async resolve(reference: string): Promise<Contact> {
    const byAddress = await this.get(reference.toLowerCase());
    if (byAddress !== undefined) return byAddress;
    const alias = normaliseAlias(reference);
    if (alias !== undefined) {
      const address = await this.#store.get(aliasKey(alias));
      if (address !== undefined) {
        const contact = await this.get(new TextDecoder().decode(address));
        if (contact !== undefined) return contact;
      }
    }
    // Contacts who added us have no alias yet: their pseudonym works when it is unambiguous.
    const wanted = reference.normalize('NFC').trim().toLowerCase();
    const named = (await this.list()).filter(
      (contact) => contact.pseudonym.normalize('NFC').trim().toLowerCase() === wanted,
    );
    if (named.length === 1 && named[0] !== undefined) return named[0];
    throw new CoreError(
      CoreErrorCode.ContactNotFound,
      named.length > 1
        ? 'several contacts have that pseudonym: use an alias or the address'
        : 'no contact with that alias, pseudonym or address',
    );
  }

  async list(): Promise<Contact[]> {
    const entries = await this.#store.list(CONTACTS);
    return entries
      .map((entry) => parseContact(entry.value))
      .sort((a, b) => a.addedAt - b.addedAt || a.address.localeCompare(b.address));
  }

  /** Adds a new contact. CORE_CONTACT_EXISTS if the address or the alias is taken. */
  async add(contact: Contact): Promise<void> {
    if ((await this.get(contact.address)) !== undefined) {
      throw new CoreError(CoreErrorCode.ContactExists, 'that persona is already a contact');
    }
    const alias = contact.alias === undefined ? undefined : checkAlias(contact.alias);
    if (alias !== undefined && (await this.#store.get(aliasKey(alias))) !== undefined) {
      throw new CoreError(CoreErrorCode.ContactExists, 'that alias is already used');
    }
    await this.#store.batch([
      { type: 'put', key: `${CONTACTS}/${contact.address}`, value: encodeContact(contact) },
      ...(alias === undefined
        ? []
        : [{ type: 'put' as const, key: aliasKey(alias), value: utf8(contact.address) }]),
    ]);
  }

  /**
   * Changes the key we write to a contact with (a DeliveryKeyGrant from them). A grant from a
   * member we sent a request to is their accept: the contact stops being a request.
   */
  async setAccessKey(address: string, accessKey: Uint8Array): Promise<Contact> {
    return this.#change(address, (existing) => {
      const changed: Contact = { ...existing, accessKey };
      delete (changed as { requestedIn?: string }).requestedIn;
      return changed;
    });
  }

  /** Takes a contact (and its alias) out of the book; nothing for an unknown address. */
  async remove(address: string): Promise<Contact | undefined> {
    const existing = await this.get(address);
    if (existing === undefined) return undefined;
    await this.#store.batch([
      { type: 'delete', key: `${CONTACTS}/${address}` },
      ...(existing.alias === undefined
        ? []
        : [{ type: 'delete' as const, key: aliasKey(existing.alias) }]),
    ]);
    return existing;
  }

  /** Blocks or unblocks a contact. */
  async setBlocked(address: string, blocked: boolean): Promise<Contact> {
    return this.#change(address, (existing) => ({ ...existing, blocked }));
  }

  /** Marks a contact as having refused our introduction (an InviteRefused from them). */
  async setRefused(address: string, refused: InviteRefusalReason): Promise<Contact> {
    return this.#change(address, (existing) => ({ ...existing, refused }));
  }

  /** Turns sending read receipts to a contact on or off. */
  async setReadReceipts(address: string, readReceipts: boolean): Promise<Contact> {
    return this.#change(address, (existing) => ({ ...existing, readReceipts }));
  }

  async #change(address: string, change: (existing: Contact) => Contact): Promise<Contact> {
    const existing = await this.get(address);
    if (existing === undefined) {
      throw new CoreError(CoreErrorCode.ContactNotFound, 'no contact with that address');
    }
    const changed = change(existing);
    await this.#store.put(`${CONTACTS}/${address}`, encodeContact(changed));
    return changed;
  }

  /** Replaces what a contact told us about itself (a newer card), keeping alias and history. */
  async updateCard(address: string, card: ContactCardData): Promise<void> {
    const existing = await this.get(address);
    if (existing === undefined) {
      throw new CoreError(CoreErrorCode.ContactNotFound, 'no contact with that address');
    }
    await this.#store.put(`${CONTACTS}/${address}`, encodeContact({ ...existing, ...card }));
  }
}

/**
 * Checks an alias the user chose: the pseudonym rules (1 to 64 printable characters), and it may
 * not look like an address, so a reference is never ambiguous.
 */
export function checkAlias(alias: string): string {
  let name: string;
  try {
    name = checkPseudonym(alias);
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'an alias has 1 to 64 printable characters', {
      cause: error,
    });
  }
  if (isPersonaAddress(name.toLowerCase())) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'an alias may not look like an address');
  }
  return name;
}

function normaliseAlias(alias: string): string | undefined {
  try {
    return checkAlias(alias);
  } catch {
    return undefined;
  }
}

function aliasKey(alias: string): string {
  return `${ALIASES}/${toHex(utf8(alias.toLowerCase()))}`;
}

function encodeContact(contact: Contact): Uint8Array {
  return encodeRecord(contact);
}

function parseContact(bytes: Uint8Array): Contact {
  const r = RecordReader.decode(bytes, 'contact');
  const alias = r.optionalString('alias');
  const blocked = r.optionalBoolean('blocked');
  const refused = r.optionalString('refused');
  const readReceipts = r.optionalBoolean('readReceipts');
  const requestedIn = r.optionalString('requestedIn');
  return {
    relayUrl: r.string('relayUrl'),
    trustRoot: r.bytes('trustRoot'),
    address: r.string('address'),
    identityKey: r.bytes('identityKey'),
    accessKey: r.bytes('accessKey'),
    profileKey: r.bytes('profileKey'),
    pseudonym: r.string('pseudonym'),
    ...(alias === undefined ? {} : { alias }),
    addedAt: r.number('addedAt'),
    addedVia: r.oneOf('addedVia', ['link', 'introduction', 'request'] as const),
    ...(requestedIn === undefined ? {} : { requestedIn }),
    ...(blocked === true ? { blocked } : {}),
    ...(refused === 'used-up' || refused === 'expired' || refused === 'unknown' ? { refused } : {}),
    ...(readReceipts === true ? { readReceipts } : {}),
  };
}
