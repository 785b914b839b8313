import type { ContactCardData } from '../contactCard.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import { isPersonaAddress } from '../../persona/personaAddress.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';

/** At most this many messages are kept per request; an older one leaves for a newer. */
export const MAX_REQUEST_MESSAGES = 20;
/** At most this many open requests; a request from yet another sender is dropped. */
export const MAX_OPEN_REQUESTS = 100;

/** One message a request holds, as it arrived (its body applied only on accept). */
export interface RequestMessage {
  readonly messageId: Uint8Array;
  readonly sequence: number;
  readonly sentAt: number;
  readonly storedAt: number;
  /** The text, for the requests inbox. */
  readonly text: string;
  /** The encoded MessageBody, applied to the conversation on accept. */
  readonly body: Uint8Array;
}

/**
 * A fellow group member's first messages to us, held apart from every conversation until we
 * accept (docs/messages.md, "Message requests"). One per sender.
 */
export interface MessageRequest {
  /** 16 hex characters, random: how the CLI and the window name it. */
  readonly id: string;
  readonly sender: string;
  /** Hex id of the group both are members of, whose policy allowed it. */
  readonly groupId: string;
  /** The sender's card: its key is the one we answer with once we accept. */
  readonly card: ContactCardData;
  readonly receivedAt: number;
  /** Oldest first; at most MAX_REQUEST_MESSAGES. */
  readonly messages: readonly RequestMessage[];
}

const REQUESTS = 'client/requests';
const BLOCKED = 'client/request-blocks';

/** The open message requests of one persona, by sender, and the requesters it blocked. */
export class MessageRequestStore {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async bySender(address: string): Promise<MessageRequest | undefined> {
    if (!isPersonaAddress(address)) return undefined;
    const bytes = await this.#store.get(`${REQUESTS}/${address}`);
    return bytes === undefined ? undefined : parseRequest(bytes);
  }

  /** Oldest first. */
  async list(): Promise<MessageRequest[]> {
    const entries = await this.#store.list(REQUESTS);
    return entries
      .map((entry) => parseRequest(entry.value))
      .sort((a, b) => a.receivedAt - b.receivedAt || a.id.localeCompare(b.id));
  }

  async byId(id: string): Promise<MessageRequest | undefined> {
    return (await this.list()).find((request) => request.id === id.trim().toLowerCase());
  }

  async put(request: MessageRequest): Promise<void> {
    await this.#store.put(`${REQUESTS}/${request.sender}`, encodeRecord(request));
  }

  async delete(sender: string): Promise<void> {
    await this.#store.delete(`${REQUESTS}/${sender}`);
  }

  /** Blocked requesters: their request keys stay revoked and whatever they send is dropped. */
  async block(address: string): Promise<void> {
    await this.#store.put(`${BLOCKED}/${address}`, encodeRecord({ at: Date.now() }));
  }

  async isBlocked(address: string): Promise<boolean> {
    if (!isPersonaAddress(address)) return false;
    return (await this.#store.get(`${BLOCKED}/${address}`)) !== undefined;
  }
}

function parseRequest(bytes: Uint8Array): MessageRequest {
  const r = RecordReader.decode(bytes, 'message request');
  const card = r.nested('card');
  return {
    id: r.string('id'),
    sender: r.string('sender'),
    groupId: r.string('groupId'),
    card: {
      relayUrl: card.string('relayUrl'),
      trustRoot: card.bytes('trustRoot'),
      address: card.string('address'),
      identityKey: card.bytes('identityKey'),
      accessKey: card.bytes('accessKey'),
      profileKey: card.bytes('profileKey'),
      pseudonym: card.string('pseudonym'),
    },
    receivedAt: r.number('receivedAt'),
    messages: r.list('messages', (m) => ({
      messageId: m.bytes('messageId'),
      sequence: m.number('sequence'),
      sentAt: m.number('sentAt'),
      storedAt: m.number('storedAt'),
      text: m.string('text'),
      body: m.bytes('body'),
    })),
  };
}
