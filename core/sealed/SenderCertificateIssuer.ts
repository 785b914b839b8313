import {
  PrivateKey,
  PublicKey,
  SenderCertificate,
  ServerCertificate,
} from '@signalapp/libsignal-client';
import { ownedBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { isPersonaAddress, personaAddressFor } from '../persona/personaAddress.js';

/** Every persona uses device 1: one install holds a persona; there is no multi-device linking. */
export const PERSONA_DEVICE_ID = 1;

/** Default lifetime of a sender certificate: short, so a stolen one is soon useless. */
export const DEFAULT_SENDER_CERTIFICATE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The relay's sealed-sender authority. A trust root key (whose public half clients pin from the
 * invite link) signs a server certificate; the server key then signs short-lived sender
 * certificates for authenticated personas. Recipients check that chain before trusting who a
 * sealed message claims to be from; the relay never sees that claim.
 */
export class SenderCertificateIssuer {
  readonly #trustRoot: PublicKey;
  readonly #serverKey: PrivateKey;
  readonly #serverCertificate: ServerCertificate;

  private constructor(
    trustRoot: PublicKey,
    serverKey: PrivateKey,
    serverCertificate: ServerCertificate,
  ) {
    this.#trustRoot = trustRoot;
    this.#serverKey = serverKey;
    this.#serverCertificate = serverCertificate;
  }

  /**
   * Generates a trust root and a server key certified by it. The trust root's private key is
   * returned once, for the operator to keep offline; the issuer itself only needs the server key.
   */
  static generate(keyId = 1): { issuer: SenderCertificateIssuer; trustRootPrivateKey: Uint8Array } {
    const trustRoot = PrivateKey.generate();
    const serverKey = PrivateKey.generate();
    const certificate = ServerCertificate.new(keyId, serverKey.getPublicKey(), trustRoot);
    return {
      issuer: new SenderCertificateIssuer(trustRoot.getPublicKey(), serverKey, certificate),
      trustRootPrivateKey: trustRoot.serialize(),
    };
  }

  /** Restores an issuer from `toRecord()`, checking the certificate chains to the trust root. */
  static fromRecord(record: IssuerRecord): SenderCertificateIssuer {
    try {
      const trustRoot = PublicKey.deserialize(ownedBytes(record.trustRoot));
      const serverKey = PrivateKey.deserialize(ownedBytes(record.serverKey));
      const certificate = ServerCertificate.deserialize(ownedBytes(record.serverCertificate));
      if (
        !trustRoot.verify(certificate.certificateData(), certificate.signature()) ||
        !certificate.key().equals(serverKey.getPublicKey())
      ) {
        throw new Error('server certificate does not match');
      }
      return new SenderCertificateIssuer(trustRoot, serverKey, certificate);
    } catch (error) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        'sender certificate issuer record is invalid',
        {
          cause: error,
        },
      );
    }
  }

  /** The public key clients pin (it travels in invite links). */
  get trustRoot(): Uint8Array {
    return this.#trustRoot.serialize();
  }

  toRecord(): IssuerRecord {
    return {
      trustRoot: this.#trustRoot.serialize(),
      serverKey: this.#serverKey.serialize(),
      serverCertificate: this.#serverCertificate.serialize(),
    };
  }

  /** Issues a sender certificate for a persona that proved it holds `identityKey`. */
  issue(options: { address: string; identityKey: Uint8Array; expiresAt: number }): Uint8Array {
    if (!isPersonaAddress(options.address)) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'not a persona address');
    }
    let identityKey: PublicKey;
    try {
      identityKey = PublicKey.deserialize(ownedBytes(options.identityKey));
    } catch (error) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'identity key is invalid', { cause: error });
    }
    if (personaAddressFor(options.identityKey) !== options.address) {
      throw new CoreError(
        CoreErrorCode.IdentityMismatch,
        'identity key does not match the address',
      );
    }
    return SenderCertificate.new(
      options.address,
      null,
      PERSONA_DEVICE_ID,
      identityKey,
      options.expiresAt,
      this.#serverCertificate,
      this.#serverKey,
    ).serialize();
  }
}

export interface IssuerRecord {
  readonly trustRoot: Uint8Array;
  readonly serverKey: Uint8Array;
  readonly serverCertificate: Uint8Array;
}

/** Reads the facts out of a sender certificate after checking it against a pinned trust root. */
export function checkSenderCertificate(
  certificate: Uint8Array,
  trustRoot: Uint8Array,
  now: number,
): { address: string; identityKey: Uint8Array; expiresAt: number } {
  try {
    const parsed = SenderCertificate.deserialize(ownedBytes(certificate));
    if (!parsed.validate(PublicKey.deserialize(ownedBytes(trustRoot)), now)) {
      throw new Error('certificate does not validate');
    }
    return {
      address: parsed.senderUuid(),
      identityKey: parsed.key().serialize(),
      expiresAt: parsed.expiration(),
    };
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidSenderCertificate, 'sender certificate is invalid', {
      cause: error,
    });
  }
}
