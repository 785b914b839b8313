import { IdentityKeyPair } from '@signalapp/libsignal-client';
import { randomBytes, randomInt } from 'node:crypto';
import {
  codePointLength,
  fromBase64Url,
  fromUtf8,
  ownedBytes,
  toBase64Url,
  utf8,
} from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { personaAddressFor } from './personaAddress.js';

/** Public facts about a persona, safe to hand to any layer (no private key material). */
export interface PersonaInfo {
  readonly address: string;
  readonly pseudonym: string;
  readonly registrationId: number;
  readonly identityKey: Uint8Array;
  readonly createdAt: number;
}

export const PSEUDONYM_MAX_LENGTH = 64;
const PROFILE_KEY_BYTES = 32;

/**
 * A pseudonymous identity: a libsignal identity key pair, a registration id, a pseudonym and a
 * profile key (which encrypts the pseudonym for contacts; the relay never sees it). There is no
 * other account: whoever holds the key pair is the persona.
 */
export class Persona {
  readonly #identity: IdentityKeyPair;

  private constructor(
    identity: IdentityKeyPair,
    readonly address: string,
    readonly pseudonym: string,
    readonly registrationId: number,
    readonly profileKey: Uint8Array,
    readonly createdAt: number,
  ) {
    this.#identity = identity;
  }

  static generate(pseudonym: string, now: number = Date.now()): Persona {
    const name = checkPseudonym(pseudonym);
    const identity = IdentityKeyPair.generate();
    return new Persona(
      identity,
      personaAddressFor(identity.publicKey.serialize()),
      name,
      // libsignal registration ids are 14-bit and non-zero.
      randomInt(1, 16381),
      ownedBytes(randomBytes(PROFILE_KEY_BYTES)),
      now,
    );
  }

  /** Restores a persona from `toRecord()` bytes, checking that the stored address matches. */
  static fromRecord(record: Uint8Array): Persona {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromUtf8(record));
    } catch (error) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'persona record unreadable', {
        cause: error,
      });
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'persona record malformed');
    }
    const r = parsed as Partial<Record<keyof PersonaRecordJson, unknown>>;
    const identityBytes = typeof r.identity === 'string' ? fromBase64Url(r.identity) : undefined;
    const profileKey = typeof r.profileKey === 'string' ? fromBase64Url(r.profileKey) : undefined;
    if (
      identityBytes === undefined ||
      profileKey?.length !== PROFILE_KEY_BYTES ||
      typeof r.pseudonym !== 'string' ||
      typeof r.address !== 'string' ||
      typeof r.registrationId !== 'number' ||
      typeof r.createdAt !== 'number'
    ) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'persona record malformed');
    }
    let identity: IdentityKeyPair;
    try {
      identity = IdentityKeyPair.deserialize(identityBytes);
    } catch (error) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'persona key malformed', { cause: error });
    }
    if (personaAddressFor(identity.publicKey.serialize()) !== r.address) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'persona address does not match its key');
    }
    return new Persona(identity, r.address, r.pseudonym, r.registrationId, profileKey, r.createdAt);
  }

  toRecord(): Uint8Array {
    const json: PersonaRecordJson = {
      address: this.address,
      pseudonym: this.pseudonym,
      registrationId: this.registrationId,
      identity: toBase64Url(this.#identity.serialize()),
      profileKey: toBase64Url(this.profileKey),
      createdAt: this.createdAt,
    };
    return utf8(JSON.stringify(json));
  }

  get identityPublicKey(): Uint8Array<ArrayBuffer> {
    return this.#identity.publicKey.serialize();
  }

  /** Signs with the identity key (relay auth challenges, group operations). */
  sign(message: Uint8Array): Uint8Array {
    return this.#identity.privateKey.sign(ownedBytes(message));
  }

  /** For core's protocol layer only: the libsignal key pair behind this persona. */
  identityKeyPair(): IdentityKeyPair {
    return this.#identity;
  }

  info(): PersonaInfo {
    return {
      address: this.address,
      pseudonym: this.pseudonym,
      registrationId: this.registrationId,
      identityKey: this.identityPublicKey,
      createdAt: this.createdAt,
    };
  }
}

interface PersonaRecordJson {
  address: string;
  pseudonym: string;
  registrationId: number;
  identity: string;
  profileKey: string;
  createdAt: number;
}

/** Control characters (C0 and C1, which include terminal escapes) and bidirectional overrides,
 * which could make a pseudonym display as someone else's. */
const FORBIDDEN_CHARACTERS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Trims a pseudonym and refuses empty, over-long or control-character names. */
export function checkPseudonym(pseudonym: unknown): string {
  if (typeof pseudonym !== 'string') {
    throw new CoreError(CoreErrorCode.InvalidPseudonym, 'a pseudonym must be text');
  }
  const name = pseudonym.normalize('NFC').trim();
  if (
    name.length === 0 ||
    codePointLength(name) > PSEUDONYM_MAX_LENGTH ||
    FORBIDDEN_CHARACTERS.test(name)
  ) {
    throw new CoreError(
      CoreErrorCode.InvalidPseudonym,
      `a pseudonym has 1 to ${PSEUDONYM_MAX_LENGTH} printable characters`,
    );
  }
  return name;
}
