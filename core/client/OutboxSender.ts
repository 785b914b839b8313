import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { BackoffOptions } from './Backoff.js';
import { Backoff } from './Backoff.js';
import type { EmitClientEvent } from './clientEvents.js';
import type { OutboxEntry } from './Outbox.js';
import type { PersonaState } from './PersonaState.js';
import type { RelayLink } from './RelayLink.js';
import { RelayRejectedError } from './RelayRejectedError.js';

/** Relay refusals that retrying the same envelope cannot fix. */
const PERMANENT_RELAY_CODES = new Set([
  'RELAY_ACCESS_DENIED',
  'RELAY_UNKNOWN_RECIPIENT',
  'RELAY_BAD_FRAME',
  'RELAY_FRAME_TOO_LARGE',
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
}

/**
 * Empties the outbox: seals each waiting message with a fresh ratchet step and the sender
 * certificate, sends it on the anonymous connection, and deletes it only on SendAck. Messages to
 * one contact go strictly one after another in sequence order, so a retry never reorders them.
 * Transient failures (no relay, timeouts, rate limits) are retried with backoff; a contact whose
 * identity changed is skipped until the change is accepted; a permanent refusal drops the message
 * and marks it failed.
 */
export class OutboxSender {
  readonly #options: OutboxSenderOptions;
  readonly #backoff: Backoff;
  readonly #blocked = new Set<string>();
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

  /** The failure that last made a send attempt wait, if the outbox is not empty yet. */
  get lastError(): CoreError | undefined {
    return this.#lastError;
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
            this.#options.emit(
              'error',
              CoreError.is(error)
                ? error
                : new CoreError(CoreErrorCode.Internal, 'sending failed', { cause: error }),
            );
          }
        })
        .finally(() => {
          this.#running = undefined;
        });
    }
  }

  /** Lets a contact's messages go again (after an identity change was accepted). */
  unblock(address: string): void {
    this.#blocked.delete(address);
    this.kick();
  }

  /**
   * Resolves when nothing sendable is left in the outbox. Rejects after `timeoutMs` with the last
   * failure (CORE_RELAY_UNREACHABLE, ...) or CORE_RELAY_TIMEOUT.
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
      const entries = await this.#options.state.transact(() => this.#options.state.outbox.list());
      const sendable = entries.filter((entry) => !this.#blocked.has(entry.recipient));
      if (sendable.length === 0) {
        this.#lastError = undefined;
        for (const done of [...this.#drainWaiters]) done();
        continue;
      }
      const delay = await this.#sendAll(sendable);
      this.#again = true;
      if (delay > 0) await this.#sleep(delay);
    }
  }

  /** Sends entries in order; returns how long to wait before the next pass (0: go on). */
  async #sendAll(entries: readonly OutboxEntry[]): Promise<number> {
    const failedRecipients = new Set<string>();
    let delay = 0;
    for (const entry of entries) {
      if (this.#stopped) return 0;
      // Never overtake an earlier message to the same contact.
      if (failedRecipients.has(entry.recipient) || this.#blocked.has(entry.recipient)) continue;
      try {
        await this.#sendOne(entry);
        this.#backoff.reset();
        this.#lastError = undefined;
      } catch (error) {
        const failure = CoreError.is(error)
          ? error
          : new CoreError(CoreErrorCode.Internal, 'sending failed', { cause: error });
        if (
          failure.code === CoreErrorCode.UntrustedIdentity ||
          (failure.code as string) === 'CORE_IDENTITY_MISMATCH'
        ) {
          this.#blocked.add(entry.recipient);
          this.#options.emit('identityChanged', { address: entry.recipient });
          continue;
        }
        if (isPermanent(failure)) {
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
        // The relay is likely down for everyone: stop this pass and wait.
        if (!RelayRejectedError.isRelayRejection(failure)) return delay;
      }
    }
    return delay;
  }

  async #sendOne(entry: OutboxEntry): Promise<void> {
    const { state, link } = this.#options;
    const contact = await state.transact(() => state.contacts.get(entry.recipient));
    if (contact === undefined) {
      throw new CoreError(CoreErrorCode.ContactNotFound, 'the recipient is no longer a contact');
    }
    if (contact.changedIdentityKey !== undefined) {
      throw new CoreError(CoreErrorCode.UntrustedIdentity, 'the contact’s identity changed');
    }
    const certificate = await this.#options.senderCertificate();
    const connection = await link.connection();
    const sealed = await state.transact(() =>
      state.cipher.seal(entry.recipient, entry.content, certificate),
    );
    // The ratchet step this envelope used must be on disk before the envelope leaves.
    await state.store.flush();
    await connection.request(
      {
        case: 'sendEnvelope',
        value: { recipient: entry.recipient, accessKey: contact.accessKey, sealed },
      },
      'sendAck',
    );
    await state.transact(async () => {
      await state.outbox.remove(entry.messageId);
      if (entry.historyIndex !== undefined) {
        await state.history.setStatus(entry.recipient, entry.historyIndex, 'sent');
      }
    });
    this.#options.emit('sent', {
      recipient: entry.recipient,
      messageId: entry.messageId,
      sequence: entry.sequence,
    });
  }

  async #fail(entry: OutboxEntry, error: CoreError): Promise<void> {
    const { state } = this.#options;
    await state.transact(async () => {
      await state.outbox.remove(entry.messageId);
      if (entry.historyIndex !== undefined) {
        await state.history.setStatus(entry.recipient, entry.historyIndex, 'failed');
      }
    });
    this.#options.emit('sendFailed', {
      recipient: entry.recipient,
      messageId: entry.messageId,
      error,
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

function isPermanent(error: CoreError): boolean {
  if (RelayRejectedError.isRelayRejection(error)) return PERMANENT_RELAY_CODES.has(error.relayCode);
  return (
    error.code === CoreErrorCode.ContactNotFound ||
    error.code === CoreErrorCode.MessageTooLarge ||
    error.code === CoreErrorCode.NoSession
  );
}
