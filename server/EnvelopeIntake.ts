import { MAX_DISAPPEARING_SECONDS, RelayErrorCode } from '../core/index.js';
import type { wire } from '../core/index.js';
import { checkAccessKey } from './accessKeys.js';
import type { AccessKeyMemo } from './accessKeys.js';
import { RelayError } from './RelayError.js';
import type { RelayMetrics } from './RelayMetrics.js';
import type { RelayRateLimits } from './RelayRateLimits.js';
import type { RelayStore } from './store/RelayStore.js';

export interface EnvelopeIntakeOptions {
  readonly store: RelayStore;
  readonly limits: RelayRateLimits;
  readonly metrics: RelayMetrics;
  readonly maxMailboxDepth: number;
  /** Envelopes written with one delivery key that a mailbox may hold (its share). */
  readonly maxEnvelopesPerDeliveryKey: number;
  /** The shortest `expires_in_seconds` accepted (RelayLimits.minDisappearingSeconds). */
  readonly minDisappearingSeconds: number;
  readonly now?: () => number;
}

/** An admitted envelope: `durable` resolves with its id once it is on disk. */
export interface AdmittedEnvelope {
  readonly durable: Promise<bigint>;
}

/**
 * Takes sealed envelopes into mailboxes. It learns the recipient, the sealed bytes and the time;
 * it is never told, and never records, who sent them.
 */
export class EnvelopeIntake {
  readonly #options: EnvelopeIntakeOptions;
  readonly #now: () => number;

  constructor(options: EnvelopeIntakeOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Checks the rate, the access key and the mailbox depth, then queues the envelope for the next
   * group commit. Resolves once it is queued (so envelopes from one connection keep their order);
   * the returned `durable` resolves once it is stored. `accessKeys` is the sending connection's
   * memo of the last access key it had accepted.
   */
  async admit(
    send: wire.SendEnvelope,
    connectionKey: string,
    accessKeys?: AccessKeyMemo,
  ): Promise<AdmittedEnvelope> {
    const { store, limits, metrics } = this.#options;
    await limits.consume('sends', connectionKey);
    const now = this.#now();
    const expiresAt = this.#expiresAt(send.expiresInSeconds, now);
    const { keyTag } = await checkAccessKey(store, send.recipient, send.accessKey, accessKeys, now);
    // Soft caps: senders on other connections admitted at the same moment may pass them by a few.
    // Each delivery key has its own share, so a leaked key (a contact's, a link's, a group's)
    // fills only that share, and everyone else's envelopes still fit in the mailbox.
    if (
      keyTag !== '' &&
      (await store.mailboxKeyDepth(send.recipient, keyTag)) >=
        this.#options.maxEnvelopesPerDeliveryKey
    ) {
      throw new RelayError(
        RelayErrorCode.DeliveryKeyQuota,
        "this delivery key's share of the recipient mailbox is full",
      );
    }
    if ((await store.mailboxDepth(send.recipient)) >= this.#options.maxMailboxDepth) {
      throw new RelayError(RelayErrorCode.MailboxFull, 'the recipient mailbox is full');
    }
    const durable = store
      .appendEnvelopes([
        {
          recipient: send.recipient,
          sealed: send.sealed,
          receivedAt: now,
          keyTag,
          ...(expiresAt === undefined ? {} : { expiresAt }),
        },
      ])
      .then((ids) => {
        const id = ids[0];
        if (id === undefined) throw new Error('store returned no envelope id');
        metrics.envelopesStored += 1;
        return id;
      });
    return { durable };
  }

  /**
   * When a disappearing envelope must go (the relay's clock): 0 asks for the relay's retention
   * alone; anything outside the timer range is refused rather than rounded, so a client learns
   * that its timer was not honoured.
   */
  #expiresAt(seconds: number, now: number): number | undefined {
    if (seconds === 0) return undefined;
    if (seconds < this.#options.minDisappearingSeconds || seconds > MAX_DISAPPEARING_SECONDS) {
      throw new RelayError(
        RelayErrorCode.BadRetention,
        'expires_in_seconds must be 0 or from 5 minutes to 4 weeks',
      );
    }
    return now + seconds * 1000;
  }
}
