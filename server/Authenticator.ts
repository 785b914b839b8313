import {
  CoreError,
  RelayErrorCode,
  authSigningBytes,
  checkProofOfWork,
  personaAddressFor,
  verifyIdentitySignature,
  verifyRelayInviteToken,
} from '../core/index.js';
import type { wire } from '../core/index.js';
import { RelayError } from './RelayError.js';
import type { RegistrationMode } from './RelayOptions.js';
import { KeyedMutex } from './store/KeyedMutex.js';
import type { RelayStore, StoredPersona } from './store/RelayStore.js';

/** What the relay said in its Challenge: the response must sign exactly these. */
export interface IssuedChallenge {
  readonly nonce: Uint8Array;
  readonly serverTime: bigint;
}

export interface AuthenticatedPersona {
  readonly persona: StoredPersona;
  readonly registeredNow: boolean;
}

export interface AuthenticatorOptions {
  readonly store: RelayStore;
  readonly relayId: Uint8Array;
  readonly registration: RegistrationMode;
  readonly powDifficulty: number;
  /** Required when registration is 'invite'. */
  readonly operatorPublicKey: Uint8Array | undefined;
  readonly now?: () => number;
}

/**
 * Checks an AuthResponse against the challenge this connection was sent, and registers a new
 * persona when the relay's registration gate lets it in. Every refusal is a RelayError; the
 * connection then closes, since its nonce is spent.
 */
export class Authenticator {
  readonly #options: AuthenticatorOptions;
  readonly #now: () => number;
  /** Two connections registering the same persona at once must not both pay the gate. */
  readonly #registrations = new KeyedMutex();

  constructor(options: AuthenticatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async authenticate(
    response: wire.AuthResponse,
    challenge: IssuedChallenge,
  ): Promise<AuthenticatedPersona> {
    const signed = authSigningBytes({
      relayId: this.#options.relayId,
      nonce: challenge.nonce,
      serverTime: challenge.serverTime,
      identityKey: response.identityKey,
    });
    if (!verifyIdentitySignature(response.identityKey, signed, response.signature)) {
      throw new RelayError(RelayErrorCode.AuthFailed, 'authentication failed');
    }
    const address = personaAddressFor(response.identityKey);
    return this.#registrations.run(address, async () => {
      const existing = await this.#options.store.getPersona(address);
      if (existing !== undefined) return { persona: existing, registeredNow: false };
      const registration = response.registration;
      if (registration === undefined) {
        throw new RelayError(
          RelayErrorCode.RegistrationRequired,
          'this persona is not registered here; send a Registration',
        );
      }
      await this.#passGate(response.identityKey, registration);
      const persona: StoredPersona = {
        address,
        identityKey: response.identityKey,
        registrationId: registration.registrationId,
        accessKeyHash: registration.accessKeyHash,
        registeredAt: this.#now(),
      };
      await this.#options.store.putPersona(persona);
      return { persona, registeredNow: true };
    });
  }

  async #passGate(identityKey: Uint8Array, registration: wire.Registration): Promise<void> {
    const gate = registration.gate;
    switch (this.#options.registration) {
      case 'open':
        return;
      case 'pow':
        if (
          gate.case !== 'powNonce' ||
          !checkProofOfWork(
            this.#options.relayId,
            identityKey,
            gate.value,
            this.#options.powDifficulty,
          )
        ) {
          throw new RelayError(
            RelayErrorCode.ProofOfWorkInvalid,
            'proof of work is missing or invalid',
          );
        }
        return;
      case 'invite': {
        const operatorKey = this.#options.operatorPublicKey;
        if (gate.case !== 'inviteToken' || operatorKey === undefined) {
          throw new RelayError(RelayErrorCode.InviteInvalid, 'an invite token is required');
        }
        let token;
        try {
          token = verifyRelayInviteToken(gate.value, operatorKey, this.#now());
        } catch (error) {
          if (!CoreError.is(error)) throw error;
          throw new RelayError(RelayErrorCode.InviteInvalid, 'invite token is invalid or expired', {
            cause: error,
          });
        }
        // maxUses 0 means unlimited: nothing to count.
        if (
          token.maxUses > 0 &&
          !(await this.#options.store.consumeInviteToken(token.id, token.maxUses))
        ) {
          throw new RelayError(RelayErrorCode.InviteInvalid, 'invite token has been used up');
        }
        return;
      }
    }
  }
}
