import { bytesEqual } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { GroupPeer } from './groups/GroupStore.js';
import type { RelayConnection } from './RelayConnection.js';
import { RelayErrorCode } from '../protocol/RelayErrorCode.js';
import { toCoreError } from '../signal/signalErrors.js';
import type { BackoffOptions } from './Backoff.js';
import { Backoff } from './Backoff.js';
import type { EmitClientEvent } from './clientEvents.js';
import { decodeContent } from './contentCodec.js';
import type { OutboxEntry } from './Outbox.js';
import type { PersonaState } from './PersonaState.js';
import type { RelayLink } from './RelayLink.js';
import { RelayRejectedError } from './RelayRejectedError.js';

/** Relay refusals that retrying the same envelope cannot fix. */
const PERMANENT_RELAY_CODES = new Set<string>([
  RelayErrorCode.AccessDenied,
  RelayErrorCode.UnknownRecipient,
  RelayErrorCode.BadFrame,
  RelayErrorCode.FrameTooLarge,
]);

/** Local failures that retrying the same message cannot fix. */
const PERMANENT_CORE_CODES = new Set<CoreErrorCode>([
  CoreErrorCode.ContactNotFound,
  CoreErrorCode.MessageTooLarge,
  CoreErrorCode.NoSession,
  // The session's identity key does not derive the recipient's address. Core refuses such a key
  // before a session exists, so only a damaged vault gets here; retrying would loop forever.
  CoreErrorCode.IdentityMismatch,
  CoreErrorCode.ContactRefused,
]);

export interface OutboxSenderOptions {
  readonly state: PersonaState;
  /** The anonymous link: envelopes never travel on the authenticated connection. */
  readonly link: RelayLink;
  /** A valid sender certificate, fetched or refreshed when needed. */
  readonly senderCertificate: () => Promise<Uint8Array>;
  /** Forgets the cached certificate (after one was refused). */
  readonly dropSenderCertificate: () => Promise<void>;
  readonly emit: EmitClientEvent;
  readonly backoff?: BackoffOptions;
  /**
   * Runs before each pass reads the outbox it sends: after a restore, the session renewal,
   * which queues a `SessionRenewed` first to every contact and renumbers what waits behind it.
   */
  readonly prepare?: () => Promise<void>;
  /**
   * How long a message may wait for the relay's SendAck before it shows as not delivered (with a
   * retry), ms. Default {@link DEFAULT_SEND_DEADLINE_MS}.
   */
  readonly sendDeadlineMs?: number;
}

/** A message the relay has not taken within 5 minutes is shown as not delivered. */
export const DEFAULT_SEND_DEADLINE_MS = 5 * 60 * 1000;

/**
 * Empties the outbox: seals each waiting message with a fresh ratchet step and the sender
 * certificate, sends it on the anonymous connection, and deletes it only on SendAck. Messages to
 * one contact go strictly one after another in sequence order, so a retry never reorders them.
 * Transient failures (no relay, timeouts, rate limits) are retried with backoff until the send
 * deadline; a permanent refusal, or the deadline passing, marks a user's message failed (kept
 * for `retry`, with the reason) and reports it (`sendFailed`); other content leaves the outbox.
 */
export class OutboxSender {
  readonly #options: OutboxSenderOptions;
  readonly #backoff: Backoff;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #wake: (() => void) | undefined;
  #lastError: CoreError | undefined;
  readonly #drainWaiters = new Set<() => void>();

  constructor(options: OutboxSenderOptions) {
    this.#options = options;
    this.#backoff = new Backoff(options.backoff);
  }

  /** Starts sending (or looks again at the outbox when already sending). */
  kick(): void {
    if (this.#stopped) return;
    this.#again = true;
    this.#wake?.();
    if (this.#running === undefined) {
      this.#running = this.#run()
        .catch((error: unknown) => {
          // Only a failing vault gets here (say, locked by close()); the next kick tries again.
          if (!this.#stopped) {
            this.#options.emit('error', toCoreError(error, CoreErrorCode.Internal, 'sending'));
          }
        })
        .finally(() => {
          this.#running = undefined;
        });
    }
  }

  /**
   * Resolves when the outbox is empty: every message acknowledged, or refused for good (reported
   * by `sendFailed`, so a caller that must know listens for it). Rejects after `timeoutMs` with the
   * last failure (CORE_RELAY_UNREACHABLE, ...) or CORE_RELAY_TIMEOUT.
   */
  whenDrained(timeoutMs: number): Promise<void> {
    this.kick();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#drainWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#drainWaiters.delete(done);
        reject(
          this.#lastError ??
            new CoreError(CoreErrorCode.RelayTimeout, 'the outbox could not be sent in time'),
        );
      }, timeoutMs);
      this.#drainWaiters.add(done);
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (!this.#stopped && this.#again) {
      this.#again = false;
      let entries = await this.#options.state.transact(() => this.#options.state.outbox.list());
      if (entries.length === 0) {
        this.#lastError = undefined;
        for (const done of [...this.#drainWaiters]) done();
        continue;
      }
      if (this.#options.prepare !== undefined) {
        try {
          await this.#options.prepare();
        } catch (error) {
          // The renewal failed (the relay unreachable): nothing may go out before it, so wait.
          this.#lastError = toCoreError(error, CoreErrorCode.Internal, 'sending');
          this.#again = true;
          await this.#sleep(this.#backoff.next());
          continue;
        }
        entries = await this.#options.state.transact(() => this.#options.state.outbox.list());
      }
      const delay = await this.#sendAll(entries);
      this.#again = true;
      if (delay > 0) await this.#sleep(delay);
    }
  }

  /** Sends entries in order; returns how long to wait before the next pass (0: go on). */
  async #sendAll(entries: readonly OutboxEntry[]): Promise<number> {
    const failedRecipients = new Set<string>();
    // Sent in this pass: out of the outbox, so never "not delivered" when a later one fails.
    const sent = new Set<OutboxEntry>();
    let delay = 0;
    for (const entry of entries) {
      if (this.#stopped) return 0;
      // Never overtake an earlier message to the same contact.
      if (failedRecipients.has(entry.recipient)) continue;
      try {
        await this.#sendOne(entry);
        sent.add(entry);
        this.#backoff.reset();
        this.#lastError = undefined;
      } catch (error) {
        const failure = toCoreError(error, CoreErrorCode.Internal, 'sending');
        if (isPermanent(failure) || this.#overdue(entry)) {
          await this.#fail(entry, failure);
          continue;
        }
        if (failure.code === CoreErrorCode.InvalidSenderCertificate) {
          await this.#options.dropSenderCertificate();
        }
        this.#lastError = failure;
        failedRecipients.add(entry.recipient);
        const hint = RelayRejectedError.isRelayRejection(failure) ? failure.retryAfterMs : 0;
        delay = Math.max(delay, hint > 0 ? hint : this.#backoff.next());
        // The relay is likely down for everyone: stop this pass and wait. What waited too long
        // shows as not delivered meanwhile.
        if (!RelayRejectedError.isRelayRejection(failure)) {
          for (const waiting of entries) {
            if (waiting !== entry && !sent.has(waiting) && this.#overdue(waiting)) {
              await this.#fail(waiting, failure);
            }
          }
          return delay;
        }
      }
    }
    return delay;
  }

  async #sendOne(entry: OutboxEntry): Promise<void> {
    const { state, link } = this.#options;
    // Contacts, and fellow group members (who get our sender keys and reports) from the log.
    const recipient = await state.transact(async () => {
      const found = await state.contacts.get(entry.recipient);
      // A blocked contact gets nothing 1:1; as a fellow group member it still gets our sender
      // keys, through the key its group profile gave us.
      const contact = found?.blocked === true ? undefined : found;
      const hasSession = await state.cipher.hasSession(entry.recipient);
      // A member we sent a message request to is a contact only on our side: the session with
      // them starts, like any fellow member's, from the bundle their group profile's key fetches.
      const peer =
        contact === undefined || (contact.requestedIn !== undefined && !hasSession)
          ? await state.groups.anyPeer(entry.recipient)
          : undefined;
      // A contact's envelopes ask the relay to keep them no longer than the conversation's timer.
      const expiresInSeconds = contact === undefined ? 0 : await state.timers.get(entry.recipient);
      if (contact?.refused !== undefined) {
        throw new CoreError(CoreErrorCode.ContactRefused, 'the contact refused our introduction');
      }
      return {
        accessKey: contact?.accessKey ?? peer?.accessKey ?? entry.accessKey,
        peer,
        hasSession,
        expiresInSeconds,
      };
    });
    if (recipient.accessKey === undefined) {
      throw new CoreError(CoreErrorCode.ContactNotFound, 'the recipient is no longer a contact');
    }
    const certificate = await this.#options.senderCertificate();
    const connection = await link.connection();
    if (!recipient.hasSession && recipient.peer !== undefined) {
      await startPeerSession(state, connection, recipient.peer);
    }
    const sealed = await state.transact(() =>
      state.cipher.seal(entry.recipient, entry.content, certificate),
    );
    // The ratchet step this envelope used must be on disk before the envelope leaves.
    await state.store.flush();
    // Asked again (the same one, as a rule): an anonymous connection closes when idle, and
    // sealing may have taken a while.
    const sending = await link.connection();
    await sending.request(
      {
        case: 'sendEnvelope',
        value: {
          recipient: entry.recipient,
          accessKey: recipient.accessKey,
          sealed,
          expiresInSeconds: recipient.expiresInSeconds,
        },
      },
      'sendAck',
    );
    await this.#settle(entry, 'sent');
    this.#options.emit('sent', {
      recipient: entry.recipient,
      messageId: entry.messageId,
      sequence: entry.sequence,
    });
  }

  /** A user's message that waited longer than the deadline for the relay's SendAck. */
  #overdue(entry: OutboxEntry): boolean {
    const deadline = this.#options.sendDeadlineMs ?? DEFAULT_SEND_DEADLINE_MS;
    return entry.historyIndex !== undefined && Date.now() - entry.enqueuedAt >= deadline;
  }

  /**
   * Not delivered: a user's message stays in the outbox, held for a retry, and shows failed with
   * the reason; anything else (keys, receipts, introductions) leaves it. Reported by `sendFailed`.
   */
  async #fail(entry: OutboxEntry, failure: CoreError): Promise<void> {
    const reason = failureReason(failure);
    if (entry.historyIndex === undefined) {
      await this.#settle(entry, 'failed');
    } else {
      const { state } = this.#options;
      const historyIndex = entry.historyIndex;
      await state.transact(async () => {
        await state.outbox.put({ ...entry, failed: reason });
        await state.history.setStatus(entry.recipient, historyIndex, 'failed', reason);
      });
    }
    this.#options.emit('sendFailed', {
      recipient: entry.recipient,
      messageId: entry.messageId,
      error: failure,
    });
  }

  /** Takes an entry out of the outbox for good and shows the outcome in history. */
  async #settle(entry: OutboxEntry, status: 'sent' | 'failed'): Promise<void> {
    const { state } = this.#options;
    await state.transact(async () => {
      await state.outbox.remove(entry.messageId);
      if (entry.historyIndex !== undefined) {
        await state.history.setStatus(entry.recipient, entry.historyIndex, status);
      }
      if (status === 'failed') await this.#forgetSenderKeyHolder(entry);
    });
  }

  /**
   * A sender key that never reached its member must go again with our next post: otherwise one
   * refused send (a relay that swapped a bundle's key once) would cut that member off for good.
   */
  async #forgetSenderKeyHolder(entry: OutboxEntry): Promise<void> {
    const body = decodeContent(entry.content)?.body;
    if (body?.case !== 'senderKeyDistribution') return;
    const groups = this.#options.state.groups;
    const record = await groups.get(body.value.groupId);
    if (record === undefined) return;
    await groups.put({
      ...record,
      distributedTo: record.distributedTo.filter((address) => address !== entry.recipient),
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}

/**
 * Starts a session with a fellow group member we have never written to: their bundle, fetched
 * anonymously with the access key from their sealed profile, must carry the identity key the
 * signed log binds to their address.
 */
async function startPeerSession(
  state: PersonaState,
  connection: RelayConnection,
  peer: GroupPeer,
): Promise<void> {
  const bundle = await connection.request(
    { case: 'fetchPreKeyBundle', value: { address: peer.address, accessKey: peer.accessKey } },
    'preKeyBundle',
  );
  if (!bytesEqual(bundle.identityKey, peer.identityKey) || bundle.address !== peer.address) {
    throw new CoreError(
      CoreErrorCode.IdentityMismatch,
      'the relay returned a prekey bundle for another key than the group log names',
    );
  }
  const { signedPreKey, kyberPreKey } = bundle;
  if (signedPreKey === undefined || kyberPreKey === undefined) {
    throw new CoreError(CoreErrorCode.InvalidPreKeyBundle, 'prekey bundle incomplete');
  }
  await state.transact(async () => {
    if (await state.cipher.hasSession(peer.address)) return;
    await state.cipher.startSession({
      address: bundle.address,
      registrationId: bundle.registrationId,
      identityKey: bundle.identityKey,
      signedPreKey,
      kyberPreKey,
      ...(bundle.preKey === undefined ? {} : { preKey: bundle.preKey }),
    });
  });
}

/** The code a not-delivered message shows: the relay's own when it refused, else core's. */
export function failureReason(error: CoreError): string {
  return RelayRejectedError.isRelayRejection(error) ? error.relayCode : error.code;
}

function isPermanent(error: CoreError): boolean {
  if (RelayRejectedError.isRelayRejection(error)) return PERMANENT_RELAY_CODES.has(error.relayCode);
  return PERMANENT_CORE_CODES.has(error.code);
}
