import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { checkSenderCertificate } from '../sealed/SenderCertificateIssuer.js';
import { readSenderCertificate, writeSenderCertificate } from './ClientProfile.js';
import type { PersonaState } from './PersonaState.js';
import type { RelayConnection } from './RelayConnection.js';
import type { RelayLink } from './RelayLink.js';

/** A sender certificate is replaced when less than this much of its life is left. */
export const CERTIFICATE_MIN_REMAINING_MS = 10 * 60 * 1000;

/** What SenderCertificates needs from the persona it belongs to. */
export interface SenderCertificatesOptions {
  readonly state: PersonaState;
  /** The relay's trust root, pinned: every certificate must chain to it. */
  readonly trustRoot: Uint8Array;
  /** The receiving link, once started; a refresh is planned only while there is one. */
  readonly receiving: () => RelayLink | undefined;
  /** A short authenticated connection (its handshake stores a certificate). */
  readonly postingConnection: () => Promise<{ connection: RelayConnection; release: () => void }>;
  /** Whether the persona's session stopped: no refresh is planned then. */
  readonly isStopped: () => boolean;
}

/**
 * A persona's sender certificate (what sealed envelopes carry to say who sent them): checked
 * against the pinned trust root, cached in the vault, fetched on demand when it is about to
 * expire, and refreshed early while the persona receives.
 */
export class SenderCertificates {
  readonly #options: SenderCertificatesOptions;
  #certificateRequest: Promise<Uint8Array> | undefined;
  #certificateTimer: NodeJS.Timeout | undefined;

  constructor(options: SenderCertificatesOptions) {
    this.#options = options;
  }

  /** Cancels a planned refresh. */
  stop(): void {
    clearTimeout(this.#certificateTimer);
  }

  /** Checks a certificate from the relay against the pinned trust root, stores it, and plans its
   * refresh. */
  async storeCertificate(certificate: Uint8Array): Promise<Uint8Array> {
    const now = Date.now();
    const facts = checkSenderCertificate(certificate, this.#options.trustRoot, now);
    if (facts.address !== this.#options.state.persona.address) {
      throw new CoreError(
        CoreErrorCode.InvalidSenderCertificate,
        'the relay issued a certificate for another address',
      );
    }
    const state = this.#options.state;
    await state.transact(() =>
      writeSenderCertificate(state.store, { certificate, expiresAt: facts.expiresAt }),
    );
    this.#planCertificateRefresh(facts.expiresAt - now);
    return certificate;
  }

  #planCertificateRefresh(lifetimeMs: number): void {
    clearTimeout(this.#certificateTimer);
    if (this.#options.receiving() === undefined || this.#options.isStopped()) return;
    const delayMs = Math.max(
      1000,
      Math.min(lifetimeMs / 2, lifetimeMs - CERTIFICATE_MIN_REMAINING_MS),
    );
    this.#certificateTimer = setTimeout(
      () => {
        // Only an early refresh: if it fails, the next send fetches a certificate on demand.
        this.#fetchCertificate().catch(() => undefined);
      },
      // setTimeout fires at once for a delay above 2^31 - 1 ms (about 25 days): cap it instead.
      Math.min(delayMs, 2 ** 31 - 1),
    );
    this.#certificateTimer.unref();
  }

  /** A sender certificate valid for a while yet: the cached one, or a fresh one. */
  async senderCertificate(): Promise<Uint8Array> {
    const state = this.#options.state;
    const cached = await state.transact(() => readSenderCertificate(state.store));
    if (cached !== undefined && cached.expiresAt - Date.now() > CERTIFICATE_MIN_REMAINING_MS) {
      return cached.certificate;
    }
    return this.#fetchCertificate();
  }

  #fetchCertificate(): Promise<Uint8Array> {
    this.#certificateRequest ??= (async () => {
      const link = this.#options.receiving();
      if (link?.isConnected === true) {
        const connection = await link.connection();
        const answer = await connection.request(
          { case: 'getSenderCertificate', value: {} },
          'senderCertificate',
        );
        return this.storeCertificate(answer.certificate);
      }
      // Not receiving: the short authenticated connection (its handshake stores a certificate).
      // Deliveries it is offered stay unacknowledged and come again on the next receiving one.
      const { release } = await this.#options.postingConnection();
      release();
      const state = this.#options.state;
      const cached = await state.transact(() => readSenderCertificate(state.store));
      if (cached === undefined) {
        throw new CoreError(CoreErrorCode.InvalidSenderCertificate, 'no sender certificate');
      }
      return cached.certificate;
    })().finally(() => {
      this.#certificateRequest = undefined;
    });
    return this.#certificateRequest;
  }
}
