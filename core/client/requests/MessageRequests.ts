import { fromBinary } from '@bufbuild/protobuf';
import { fromHex, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { MessageBodySchema } from '../../protocol/gen/kindred_pb.js';
import type { Contact } from '../ContactBook.js';
import { contactKeyScope } from '../deliveryKeyScopes.js';
import type { DeliveryKeyKeeper } from '../DeliveryKeyKeeper.js';
import type { HistoryMessage } from '../direct/MessageHistory.js';
import type { DirectSession } from '../direct/DirectSession.js';
import type { Receipts } from '../direct/Receipts.js';
import { queueDirect } from '../groups/GroupPoster.js';
import { applyIncoming } from '../messages/conversationMessages.js';
import { decodeMessageBody, withoutTopic } from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';
import type { MessageRequest } from './MessageRequestStore.js';
import { deriveRequestKey, reconcileRequestKeys } from './requestKeys.js';

/** What MessageRequests needs from the persona it belongs to. */
export interface MessageRequestsOptions {
  readonly state: PersonaState;
  /** Our relay's address and trust root: a member we write to shares our relay. */
  readonly relayUrl: () => string;
  readonly trustRoot: Uint8Array;
  readonly deliveryKeys: DeliveryKeyKeeper;
  /** A pass of the delivery keys now; false when the relay could not be reached. */
  readonly syncDeliveryKeys: () => Promise<boolean>;
  readonly direct: DirectSession;
  readonly receipts: Receipts;
  /** Throws CORE_VAULT_LOCKED once the persona's session stopped. */
  readonly checkOpen: () => void;
  /** Something new waits in the 1:1 outbox. */
  readonly kickOutbox: () => void;
}

/**
 * Private messages between fellow group members (docs/messages.md, "Message requests"): writing
 * to a member who is not a contact, where the group's policy allows it, and the requests inbox on
 * the receiving side: list, accept, decline, block, report. What arrives is DirectInbound's
 * (requestInbound.ts); the pairwise keys requests travel on are requestKeys.ts'.
 */
export class MessageRequests {
  readonly #state: PersonaState;
  readonly #options: MessageRequestsOptions;

  constructor(options: MessageRequestsOptions) {
    this.#state = options.state;
    this.#options = options;
  }

  /**
   * Brings our request keys in line with our groups at the relay now (the keeper does it in the
   * background after every policy or membership change; a short-lived client asks before it
   * exits). False when the relay could not be reached.
   */
  syncKeys(): Promise<boolean> {
    this.#options.checkOpen();
    return this.#options.syncDeliveryKeys();
  }

  /** The open requests, oldest first. */
  async list(): Promise<MessageRequest[]> {
    this.#options.checkOpen();
    return this.#state.transact(() => this.#state.requests.list());
  }

  /**
   * Writes `text` to a fellow member of `groupId`. CORE_PRIVATE_MESSAGES_OFF unless the group's
   * policy lets members write to each other; CORE_GROUP_BAD_TARGET for ourselves or someone not
   * a member. A member who is a contact already gets a plain message; anyone else gets a request:
   * they become a contact on our side, marked `requestedIn`, written to with our pairwise request
   * key, and given a key of our own (in our card) to answer with once they accept.
   */
  async messageMember(groupId: Uint8Array, address: string, text: string): Promise<HistoryMessage> {
    this.#options.checkOpen();
    const state = this.#state;
    const self = state.persona.address;
    const target = await state.transact(async () => {
      const group = await state.groups.requireState(groupId);
      if (group.policy.membersMessagePrivately !== true) {
        throw new CoreError(
          CoreErrorCode.PrivateMessagesOff,
          'this group does not let members write to each other privately',
        );
      }
      const member = group.members.get(address);
      const peer = await state.groups.peer(groupId, address);
      if (address === self || member === undefined || peer === undefined) {
        throw new CoreError(CoreErrorCode.GroupBadTarget, 'not a fellow member of this group');
      }
      return { member, peer, known: (await state.contacts.get(address)) !== undefined };
    });
    if (!target.known) {
      // The key they answer with once they accept: theirs alone, so blocking them revokes it.
      await this.#options.deliveryKeys.current(contactKeyScope(address));
      await state.transact(async () => {
        if ((await state.contacts.get(address)) !== undefined) return;
        await state.contacts.add({
          relayUrl: this.#options.relayUrl(),
          trustRoot: this.#options.trustRoot,
          address,
          identityKey: target.member.identityKey,
          accessKey: deriveRequestKey(state.persona, target.member.identityKey, groupId, address),
          profileKey: target.peer.profileKey,
          pseudonym: target.peer.pseudonym,
          addedAt: Date.now(),
          addedVia: 'request',
          requestedIn: toHex(groupId),
        });
      });
      await state.store.flush();
    }
    return this.#options.direct.send(address, text);
  }

  /**
   * Accepts a request: the sender becomes a contact, its messages move into that conversation
   * (as they arrived, now with delivered receipts), and a delivery key of our own is registered
   * and granted to them (DeliveryKeyGrant): from then on they write with it, and blocking them
   * revokes it. CORE_REQUEST_NOT_FOUND for an unknown id.
   */
  async accept(id: string): Promise<{ contact: Contact; messages: HistoryMessage[] }> {
    this.#options.checkOpen();
    const state = this.#state;
    const accepted = await state.transact(async () => {
      const request = await this.#require(id);
      const { sender } = request;
      let contact = await state.contacts.get(sender);
      if (contact === undefined) {
        contact = { ...request.card, addedAt: Date.now(), addedVia: 'request' };
        await state.contacts.add(contact);
      }
      await state.deliveryKeys.create(contactKeyScope(sender), { grant: true });
      const conversation = state.history.conversation(sender);
      const messages: HistoryMessage[] = [];
      for (const kept of request.messages) {
        const decoded = decodeMessageBody(
          fromBinary(MessageBodySchema, kept.body),
          state.ruleContext.minDisappearingSeconds,
        );
        if (decoded === undefined) continue;
        const applied = await applyIncoming(conversation, {
          messageId: kept.messageId,
          author: sender,
          sentAt: kept.sentAt,
          storedAt: kept.storedAt,
          sequence: kept.sequence,
          body: withoutTopic(decoded),
        });
        if (applied.kind === 'stored') messages.push(applied.message);
      }
      await state.requests.delete(sender);
      return { contact, messages };
    });
    await state.store.flush();
    await this.#options.syncDeliveryKeys();
    // Only now does the sender learn anything: its messages were delivered.
    for (const message of accepted.messages) {
      this.#options.receipts.noteDelivered(accepted.contact.address, message.messageId);
    }
    await this.#options.receipts.flushDelivered();
    return accepted;
  }

  /** Declines a request: it is deleted and nothing is sent. They may ask again. */
  async decline(id: string): Promise<MessageRequest> {
    this.#options.checkOpen();
    const state = this.#state;
    const request = await state.transact(async () => {
      const found = await this.#require(id);
      await state.requests.delete(found.sender);
      return found;
    });
    await state.store.flush();
    return request;
  }

  /**
   * Blocks a request's sender: the request is deleted, its pairwise request keys (every group we
   * share) and any key we gave it are revoked at the relay, so its envelopes are refused there,
   * and whatever still arrives is dropped. Nothing is sent. `revokedAtRelay` false: the relay
   * could not be reached now; it is revoked on the next connection.
   */
  async block(id: string): Promise<{ request: MessageRequest; revokedAtRelay: boolean }> {
    this.#options.checkOpen();
    const state = this.#state;
    const request = await state.transact(async () => {
      const found = await this.#require(id);
      await state.requests.delete(found.sender);
      await state.requests.block(found.sender);
      await state.deliveryKeys.revoke(contactKeyScope(found.sender));
      await reconcileRequestKeys(state);
      return found;
    });
    await state.store.flush();
    return { request, revokedAtRelay: await this.#options.syncDeliveryKeys() };
  }

  /**
   * Reports a request to the moderators of the group it came through (a group report naming its
   * first message, the rest as context): they see it in their moderation queue. The request
   * stays until accepted, declined or blocked. Returns how many moderators it went to.
   */
  async report(id: string, reason = ''): Promise<number> {
    this.#options.checkOpen();
    if (reason.length > 500) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'the reason is too long');
    }
    const state = this.#state;
    const sent = await state.transact(async () => {
      const request = await this.#require(id);
      const groupId = fromHex(request.groupId);
      const [first, ...rest] = request.messages;
      if (groupId === undefined || first === undefined) {
        throw new CoreError(CoreErrorCode.VaultCorrupt, 'message request record malformed');
      }
      const group = await state.groups.requireState(groupId);
      const moderators = [...group.members.values()].filter(
        (member) =>
          ROLE_RANK[member.role] >= ROLE_RANK.moderator && member.address !== state.persona.address,
      );
      for (const moderator of moderators) {
        await queueDirect(state, moderator.address, {
          case: 'report',
          value: {
            groupId,
            messageId: first.messageId,
            author: request.sender,
            text: first.text,
            context: rest.map((message) => ({
              messageId: message.messageId,
              author: request.sender,
              text: message.text,
              sentAt: BigInt(message.sentAt),
            })),
            reason:
              reason === '' ? 'private message request' : `private message request: ${reason}`,
          },
        });
      }
      return moderators.length;
    });
    await state.store.flush();
    this.#options.kickOutbox();
    return sent;
  }

  async #require(id: string): Promise<MessageRequest> {
    const request = await this.#state.requests.byId(id);
    if (request === undefined) {
      throw new CoreError(CoreErrorCode.RequestNotFound, 'no open message request with that id');
    }
    return request;
  }
}
