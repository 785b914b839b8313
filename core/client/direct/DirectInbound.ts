import { bytesEqual, ownedBytes } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { Contact, InviteRefusalReason } from '../ContactBook.js';
import type { EmitClientEvent, KindredClientEvents } from '../clientEvents.js';
import { contactCardFromWire } from '../contactCard.js';
import { INVITE_KEY_GRACE_MS, contactKeyScope, inviteKeyScope } from '../deliveryKeyScopes.js';
import { ACCESS_KEY_BYTES } from '../../protocol/frames.js';
import type { ReceivedContent } from '../contentCodec.js';
import { decodeContent } from '../contentCodec.js';
import type { Content, MessageBody as WireMessageBody } from '../../protocol/gen/kindred_pb.js';
import { takeMessageRequest } from '../requests/requestInbound.js';
import type { IncomingMessage } from '../messages/ConversationStore.js';
import { applyIncoming } from '../messages/conversationMessages.js';
import { expiryOf } from '../disappearing/timers.js';
import { journalDropReason } from '../journal/journalRules.js';
import {
  decodeMessageBody,
  malformedBodyReason,
  withoutTopic,
} from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';
import { acceptSessionRenewal } from '../SessionRenewal.js';
import type { Delivery, RelayConnection } from '../RelayConnection.js';
import {
  applyInviteRefusal,
  inviteRefusalReason,
  queueInviteRefusal,
  refusalReasonFromWire,
} from './InviteRefusals.js';
import type { Receipts } from './Receipts.js';
import { applyReceipt } from './Receipts.js';

/** The part of a persona's groups that takes 1:1 content about a group. */
export interface InboundGroupHandler {
  /** Inside the envelope's transaction: false when the content is not from a member. */
  handleDirect(sender: string, content: ReceivedContent): Promise<boolean>;
  /**
   * Inside the envelope's transaction: a fellow member renewed its session with us after a
   * restore (SessionRenewal.ts); it may need the group's current epoch secret again.
   */
  memberRenewed(sender: string): Promise<void>;
  /** After the transaction: emits what it stored. */
  afterDirect(): void;
}

/** Acks are sent in frames of at most this many ids (the protocol allows 1000). */
const ACK_BATCH = 200;

/** Unseal failures that will never succeed on a retry: the envelope is acknowledged and dropped. */
const DROPPABLE = new Set<CoreErrorCode>([
  CoreErrorCode.DecryptFailed,
  CoreErrorCode.DuplicateMessage,
  CoreErrorCode.InvalidSenderCertificate,
  CoreErrorCode.InvalidPadding,
  CoreErrorCode.UntrustedIdentity,
  CoreErrorCode.NoSession,
  CoreErrorCode.InvalidInput,
  CoreErrorCode.InvalidPreKeyBundle,
  // A message whose identity key does not derive the sender's address: an impersonation attempt,
  // also reported on its own (the `identityMismatch` event).
  CoreErrorCode.IdentityMismatch,
]);

type Outcome =
  | { readonly kind: 'stored'; readonly events: readonly PendingEvent[] }
  | {
      readonly kind: 'dropped';
      readonly reason: string;
      readonly error?: CoreError;
      /** An answer (InviteRefused) was queued in the same transaction. */
      readonly answered?: boolean;
    }
  | { readonly kind: 'duplicate' };

type PendingEvent = {
  [K in keyof KindredClientEvents]: { readonly event: K; readonly value: KindredClientEvents[K] };
}[keyof KindredClientEvents];

/**
 * What arrives in a persona's mailbox (1:1 conversations' inbound side, beside DirectSession).
 * Processes envelopes the relay delivers, one at a time in mailbox order: unseal against the
 * pinned trust root, decode, drop duplicates (by message id), store, and only then acknowledge.
 * Each envelope is one vault transaction with the ratchet step that opened it, so a crash never
 * leaves a message half-processed; an envelope not acknowledged comes again and is deduplicated.
 */
export class DirectInbound {
  readonly #state: PersonaState;
  readonly #trustRoot: Uint8Array;
  readonly #emit: EmitClientEvent;
  readonly #queue: { delivery: Delivery; connection: RelayConnection }[] = [];
  readonly #acks = new Map<RelayConnection, bigint[]>();
  readonly #idleWaiters: (() => void)[] = [];
  #running = false;
  #lastActivity = Date.now();
  #groups: InboundGroupHandler | undefined;
  #onDeliveryKeysChanged: (() => void) | undefined;
  #receipts: Receipts | undefined;
  /** Counts envelopes that changed our delivery keys. */
  #deliveryKeyChanges = 0;

  readonly #inviteKeyGraceMs: number;

  constructor(
    state: PersonaState,
    trustRoot: Uint8Array,
    emit: EmitClientEvent,
    inviteKeyGraceMs: number = INVITE_KEY_GRACE_MS,
  ) {
    this.#inviteKeyGraceMs = inviteKeyGraceMs;
    this.#state = state;
    this.#trustRoot = trustRoot;
    this.#emit = emit;
  }

  /** Who takes 1:1 content about groups (sender keys, reports) from fellow members. */
  useGroups(handler: InboundGroupHandler): void {
    this.#groups = handler;
  }

  /** Told after an envelope made or retired delivery keys (a new contact, a used-up invite). */
  useDeliveryKeys(listener: () => void): void {
    this.#onDeliveryKeysChanged = listener;
  }

  /** Who sends receipts for what we store (and kicks the outbox for our answers). */
  useReceipts(receipts: Receipts): void {
    this.#receipts = receipts;
  }

  /** When the last envelope arrived or finished processing (ms since the epoch). */
  get lastActivity(): number {
    return this.#lastActivity;
  }

  /** Counts now as activity (a new connection: its backlog is about to arrive). */
  touch(): void {
    this.#lastActivity = Date.now();
  }

  get isIdle(): boolean {
    return !this.#running && this.#queue.length === 0;
  }

  enqueue(delivery: Delivery, connection: RelayConnection): void {
    this.#lastActivity = Date.now();
    this.#queue.push({ delivery, connection });
    if (!this.#running) void this.#drain();
  }

  /** Resolves once every envelope received so far has been processed. */
  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        const { delivery, connection } = next;
        let outcome: Outcome | undefined;
        const keyChangesBefore = this.#deliveryKeyChanges;
        try {
          outcome = await this.#process(delivery);
          this.#groups?.afterDirect();
        } catch (error) {
          // A local failure (the vault could not write): leave the envelope unacknowledged so the
          // relay delivers it again on the next connection.
          this.#emit('error', toCoreError(error, CoreErrorCode.Internal, 'processing a message'));
        }
        if (outcome !== undefined) {
          this.#queueAck(connection, delivery.envelopeId);
          if (outcome.kind === 'stored' && this.#deliveryKeyChanges !== keyChangesBefore) {
            this.#onDeliveryKeysChanged?.();
          }
          if (outcome.kind === 'stored') {
            for (const pending of outcome.events) {
              this.#emitPending(pending);
              if (pending.event === 'message' && !pending.value.message.outgoing) {
                this.#receipts?.noteDelivered(
                  pending.value.contact.address,
                  pending.value.message.messageId,
                );
              }
            }
          } else if (outcome.kind === 'dropped') {
            if (outcome.answered === true) this.#receipts?.kick();
            this.#emit('dropped', { reason: outcome.reason });
            if (outcome.error?.code === CoreErrorCode.IdentityMismatch) {
              this.#emit('identityMismatch', { error: outcome.error });
            }
          }
        }
        this.#lastActivity = Date.now();
        if (this.#queue.length === 0 || (this.#acks.get(connection)?.length ?? 0) >= ACK_BATCH) {
          await this.#flushAcks();
        }
      }
    } finally {
      this.#running = false;
      await this.#flushAcks();
      // Once what they name is durable (the acks' flush): one receipt per contact for the pass.
      await this.#receipts?.flushDelivered().catch((error: unknown) => {
        this.#emit('error', toCoreError(error, CoreErrorCode.Internal, 'queueing receipts'));
      });
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  #emitPending(pending: PendingEvent): void {
    (this.#emit as (event: string, value: unknown) => void)(pending.event, pending.value);
  }

  #queueAck(connection: RelayConnection, envelopeId: bigint): void {
    const ids = this.#acks.get(connection);
    if (ids === undefined) this.#acks.set(connection, [envelopeId]);
    else ids.push(envelopeId);
  }

  /**
   * Sends the acks collected per connection, once what they acknowledge is durable in the vault.
   * A lost ack only means a redelivery, which dedupe absorbs.
   */
  async #flushAcks(): Promise<void> {
    if (this.#acks.size === 0) return;
    try {
      await this.#state.store.flush();
    } catch (error) {
      // Not durable: acknowledge nothing; the relay delivers these again.
      this.#acks.clear();
      this.#emit('error', toCoreError(error, CoreErrorCode.Internal, 'vault flush'));
      return;
    }
    for (const [connection, ids] of this.#acks) {
      this.#acks.delete(connection);
      if (!connection.isOpen) continue;
      for (let i = 0; i < ids.length; i += ACK_BATCH) {
        connection
          .request(
            { case: 'ackEnvelopes', value: { envelopeIds: ids.slice(i, i + ACK_BATCH) } },
            'ok',
          )
          .catch(() => undefined);
      }
    }
  }

  #process(delivery: Delivery): Promise<Outcome> {
    const state = this.#state;
    return state.transact(async (): Promise<Outcome> => {
      let sender: string;
      let content: ReceivedContent | undefined;
      try {
        // The certificate is checked against the time the relay received the envelope, so a
        // message that waited in the mailbox longer than a certificate lives still opens.
        const unsealed = await state.cipher.unseal(
          delivery.sealed,
          this.#trustRoot,
          delivery.receivedAt > 0 ? delivery.receivedAt : Date.now(),
        );
        sender = unsealed.senderAddress;
        content = decodeContent(unsealed.plaintext);
      } catch (error) {
        state.store.discard();
        if (CoreError.is(error) && DROPPABLE.has(error.code)) {
          return error.code === CoreErrorCode.DuplicateMessage
            ? { kind: 'duplicate' }
            : { kind: 'dropped', reason: error.code, error };
        }
        throw error;
      }
      if (content === undefined) return { kind: 'dropped', reason: 'malformed content' };
      if (await state.history.hasSeen(sender, content.messageId)) return { kind: 'duplicate' };

      if (content.body.case === 'sessionRenewed') {
        // A contact or fellow member restored from a backup: see SessionRenewal.ts.
        const renewal = await acceptSessionRenewal(state, sender);
        if (renewal === undefined) {
          state.store.discard();
          return { kind: 'dropped', reason: 'session renewal from a stranger' };
        }
        await this.#groups?.memberRenewed(sender);
        // Its numbering restarts where its backup left it: count from here, so a message lost
        // after the renewal shows as a gap rather than hiding below the old device's numbers.
        await state.history.restartIncomingSeries(sender, content.sequence);
        await state.history.recordIncoming(sender, {
          messageId: content.messageId,
          sequence: content.sequence,
          sentAt: content.sentAt,
          storedAt: Date.now(),
        });
        const contact = await state.contacts.get(sender);
        const events: PendingEvent[] = renewal.groups.map((groupId) => ({
          event: 'groupSessionRenewed',
          value: { groupId, member: sender, direction: 'in' },
        }));
        if (contact !== undefined && contact.blocked !== true) {
          events.unshift({ event: 'sessionRenewed', value: { contact, direction: 'in' } });
        }
        return { kind: 'stored', events };
      }

      if (
        content.body.case === 'senderKeyDistribution' ||
        content.body.case === 'report' ||
        content.body.case === 'groupEpochSecret'
      ) {
        // From a fellow group member, who need not be a contact; checked against the group's log.
        if (this.#groups === undefined || !(await this.#groups.handleDirect(sender, content))) {
          state.store.discard();
          return { kind: 'dropped', reason: 'group content from a non-member' };
        }
        // Its sequence number counts like any other body's: the sender numbers everything it
        // sends us in one series, so leaving this one out would show a false gap before the next.
        const added = await state.history.recordIncoming(sender, {
          messageId: content.messageId,
          sequence: content.sequence,
          sentAt: content.sentAt,
          storedAt: Date.now(),
        });
        const member = await state.contacts.get(sender);
        const events: PendingEvent[] = [];
        for (const entry of added) {
          if (entry.kind === 'gap' && member !== undefined) {
            events.push({ event: 'gap', value: { contact: member, gap: entry } });
          }
        }
        return { kind: 'stored', events };
      }

      const now = Date.now();
      const events: PendingEvent[] = [];
      let contact = await state.contacts.get(sender);
      if (content.body.case === 'introduction') {
        const introduced = await this.#acceptIntroduction(sender, content, delivery.receivedAt);
        if (introduced === undefined) {
          state.store.discard();
          return { kind: 'dropped', reason: 'introduction refused' };
        }
        if ('refused' in introduced) {
          // Kept: the session the introduction opened and our answer on it.
          return { kind: 'dropped', reason: 'introduction refused', answered: true };
        }
        if (contact === undefined) events.push({ event: 'contactAdded', value: introduced });
        contact = introduced;
      }
      if (content.body.case === 'messageRequest' && contact === undefined) {
        // A fellow group member's first messages: held as a request, unseen and unanswered.
        const arrival = await takeMessageRequest(
          state,
          sender,
          {
            messageId: content.messageId,
            sequence: content.sequence,
            sentAt: content.sentAt,
            request: content.body.value,
          },
          this.#trustRoot,
        );
        if (arrival.kind === 'dropped') {
          state.store.discard();
          return { kind: 'dropped', reason: arrival.reason };
        }
        return {
          kind: 'stored',
          events: [{ event: 'messageRequest', value: { request: arrival.request } }],
        };
      }
      if (contact === undefined) {
        // Only contacts may write to us; a stranger holding our access key leaves no trace.
        state.store.discard();
        return { kind: 'dropped', reason: 'sender is not a contact' };
      }
      if (contact.blocked === true) {
        // Written before the block reached the relay, or with a key of theirs we cannot revoke
        // (a group's): either way, nothing of it is kept.
        state.store.discard();
        return { kind: 'dropped', reason: 'sender is blocked' };
      }
      const body = requestAsMessage(content.body);
      if (body.case === 'inviteRefused') {
        const refused = await applyInviteRefusal(
          state,
          contact,
          refusalReasonFromWire(body.value.reason),
        );
        if (refused === undefined) {
          state.store.discard();
          return { kind: 'dropped', reason: 'invite refusal from a contact we did not add' };
        }
        return {
          kind: 'stored',
          events: [{ event: 'contactRefused', value: { contact: refused } }],
        };
      }
      if (body.case === 'deliveryKey') {
        if (body.value.accessKey.length !== ACCESS_KEY_BYTES) {
          state.store.discard();
          return { kind: 'dropped', reason: 'malformed delivery key' };
        }
        contact = await state.contacts.setAccessKey(sender, ownedBytes(body.value.accessKey));
      }
      // The envelope counts whatever it carries (its sequence number is recorded, so no false
      // gap shows) even when its body is then refused.
      const { gaps, late } = await state.history.recordSequence(sender, {
        messageId: content.messageId,
        sequence: content.sequence,
        storedAt: now,
      });
      for (const gap of gaps) events.push({ event: 'gap', value: { contact, gap } });
      if (body.case === 'receipt') {
        const messages = await applyReceipt(state, contact, body.value);
        if (messages.length > 0) events.push({ event: 'receipt', value: { contact, messages } });
      }
      if (body.case === 'message') {
        events.push(
          await this.#applyBody(contact, {
            messageId: content.messageId,
            author: sender,
            sentAt: content.sentAt,
            storedAt: now,
            sequence: content.sequence,
            ...(late ? { late } : {}),
            body: body.value,
          }),
        );
      }
      return { kind: 'stored', events };
    });
  }

  /** Applies a contact's message body to the conversation: a text, a timer change, a reaction. */
  async #applyBody(
    contact: Contact,
    incoming: Omit<IncomingMessage, 'body'> & { readonly body: WireMessageBody },
  ): Promise<PendingEvent> {
    const state = this.#state;
    const decoded = decodeMessageBody(incoming.body, state.ruleContext.minDisappearingSeconds);
    // Topics are a group feature: a 1:1 text keeps its words, not a topic id (messages.md).
    const body = decoded === undefined ? undefined : withoutTopic(decoded);
    if (body === undefined) {
      return { event: 'dropped', value: { reason: malformedBodyReason(incoming.body) } };
    }
    const journalDrop = await journalDropReason(
      await state.journal.role(),
      contact.address,
      body,
      (messageId) => state.history.conversation(contact.address).findMessage(messageId),
    );
    if (journalDrop !== undefined) return { event: 'dropped', value: { reason: journalDrop } };
    // Disappearing messages: a timer change moves the conversation's timer (shown as a line);
    // every message stored expires by the timer then in force, from when it was sent (never
    // later than it arrived).
    if (body.kind === 'timerChange') await state.timers.set(contact.address, body.seconds);
    const expiresAt = expiryOf(
      Math.min(incoming.sentAt, incoming.storedAt),
      await state.timers.get(contact.address),
    );
    const applied = await applyIncoming(state.history.conversation(contact.address), {
      ...incoming,
      body,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    });
    switch (applied.kind) {
      case 'stored':
        return { event: 'message', value: { contact, message: applied.message } };
      case 'reacted':
        return {
          event: 'reaction',
          value: {
            contact,
            messageId: applied.message.messageId,
            from: incoming.author,
            emoji: applied.emoji,
          },
        };
      case 'edited':
      case 'deleted':
        return {
          event: 'messageChanged',
          value: {
            contact,
            change: applied.kind,
            message: applied.message,
            previous: applied.previous,
          },
        };
      case 'dropped':
        return { event: 'dropped', value: { reason: applied.reason } };
    }
  }

  /**
   * An introduction is accepted from a new persona only against an invite we issued that exists,
   * has not expired (by the relay's receive time) and has uses left; a known contact may send a
   * newer card. The card must name the sender and the key the session was built with. A valid
   * introduction against an invite that is used up, expired or unknown is answered (InviteRefused,
   * queued here) so the adder learns it: `{ refused }`.
   */
  async #acceptIntroduction(
    sender: string,
    content: ReceivedContent,
    receivedAt: number,
  ): Promise<Contact | { readonly refused: InviteRefusalReason } | undefined> {
    if (content.body.case !== 'introduction') return undefined;
    const state = this.#state;
    let card;
    try {
      card = contactCardFromWire(content.body.value.card, CoreErrorCode.InvalidInput);
    } catch {
      return undefined;
    }
    const remote = await state.cipher.remoteIdentity(sender);
    if (
      card.address !== sender ||
      remote === undefined ||
      !bytesEqual(remote.identityKey, card.identityKey) ||
      !bytesEqual(card.trustRoot, this.#trustRoot)
    ) {
      return undefined;
    }
    const existing = await state.contacts.get(sender);
    if (existing !== undefined) {
      if (existing.blocked === true) return undefined;
      await state.contacts.updateCard(sender, card);
      return { ...existing, ...card };
    }
    const usedAt = receivedAt > 0 ? receivedAt : Date.now();
    const inviteId = content.body.value.inviteId;
    const refused = inviteRefusalReason(await state.invites.get(inviteId), usedAt);
    if (refused !== undefined) {
      await queueInviteRefusal(state, {
        recipient: sender,
        accessKey: card.accessKey,
        inviteId,
        reason: refused,
      });
      return { refused };
    }
    const invite = await state.invites.use(inviteId, usedAt);
    if (invite === undefined) return undefined;
    const contact: Contact = { ...card, addedAt: Date.now(), addedVia: 'introduction' };
    await state.contacts.add(contact);
    // Until now they wrote with the link's key: a key of their own replaces it, registered with
    // the relay and then granted to them (PersonaSession does both, after this step commits).
    await state.deliveryKeys.create(contactKeyScope(sender), { grant: true });
    if (invite.maxUses !== 0 && invite.uses >= invite.maxUses) {
      // Used up. Not at once: the contact still writes with the link's key until our grant
      // reaches it.
      await state.deliveryKeys.revoke(
        inviteKeyScope(invite.inviteId),
        Date.now() + this.#inviteKeyGraceMs,
      );
    }
    this.#deliveryKeyChanges += 1;
    return contact;
  }
}

/**
 * A request from someone who is a contact by now (we accepted it, or wrote to them too, before
 * their next message left): its text is a message like any other.
 */
function requestAsMessage(body: Content['body']): Content['body'] {
  if (body.case !== 'messageRequest') return body;
  const message = body.value.message;
  return message === undefined
    ? { case: undefined, value: undefined }
    : { case: 'message', value: message };
}
