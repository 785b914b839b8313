/**
 * The protocol layer's public data shapes: plain bytes and numbers, so callers (the client, the
 * relay, the CLI) never need libsignal types.
 */

export interface PublicPreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
}

export interface PublicSignedPreKey extends PublicPreKey {
  readonly signature: Uint8Array;
}

/** What a persona uploads to the relay's prekey directory. */
export interface PreKeyUpload {
  readonly identityKey: Uint8Array;
  readonly registrationId: number;
  readonly signedPreKey: PublicSignedPreKey;
  readonly lastResortKyberPreKey: PublicSignedPreKey;
  readonly oneTimePreKeys: readonly PublicPreKey[];
  readonly oneTimeKyberPreKeys: readonly PublicSignedPreKey[];
}

/** What the relay hands out to someone starting a session: one of each kind of key. */
export interface PreKeyBundleData {
  readonly address: string;
  readonly registrationId: number;
  readonly identityKey: Uint8Array;
  readonly signedPreKey: PublicSignedPreKey;
  /** A one-time Kyber key when one is left, else the last-resort one. */
  readonly kyberPreKey: PublicSignedPreKey;
  /** A one-time EC prekey, when one is left. */
  readonly preKey?: PublicPreKey;
}

/** A 1:1 ciphertext: `prekey` messages start a session, `whisper` messages continue one. */
export interface EncryptedMessage {
  readonly type: 'prekey' | 'whisper';
  readonly body: Uint8Array;
}

export interface UnsealedMessage {
  readonly senderAddress: string;
  readonly plaintext: Uint8Array;
}

export interface SafetyNumber {
  /** 60 digits, shown in 12 groups of 5 to compare out loud. */
  readonly digits: string;
  /** Bytes for a QR code that the other side's client can compare. */
  readonly scannable: Uint8Array;
}
