import { hkdfSync, randomBytes, randomFillSync } from 'node:crypto';
import { concatBytes, ownedBytes, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { GROUP_LOG_KEY_BYTES } from '../protocol/frames.js';
import { loadSodium } from '../vault/sodium.js';

export const GROUP_SECRET_BYTES = 32;

/**
 * What a group secret seals. Each purpose has its own key (HKDF-SHA256 of the secret), so a blob
 * sealed for one use can never be passed off as another.
 */
export type SealPurpose = 'info' | 'profile' | 'reason' | 'sender' | 'epoch' | 'schedule' | 'topic';

/** What a libsodium sealed box adds to its plaintext (an ephemeral key and a tag). */
const SEALED_BOX_OVERHEAD = 48;

/**
 * The secret every member (and every holder of an invite link) has: it derives the log key the
 * relay asks for before it shows a group's log, and seals what the relay must not read: the
 * group's name, description and rules, members' pseudonyms and access keys, moderators' reasons,
 * and who wrote each group message. It is not what keeps messages confidential after a removal:
 * that is the sender keys, which every remaining member rotates.
 */
export class GroupSecret {
  readonly #secret: Uint8Array;
  /**
   * Keys derived so far, by HKDF label. A secret seals and opens many blobs (a log sync opens every
   * new member's profile and every reason), and a derivation costs several times what opening a
   * small blob does, so each key is derived once per instance.
   */
  readonly #keys = new Map<string, Uint8Array>();
  #joinPair: { publicKey: Uint8Array; privateKey: Uint8Array } | undefined;

  private constructor(secret: Uint8Array) {
    this.#secret = secret;
  }

  static generate(): GroupSecret {
    return new GroupSecret(ownedBytes(randomBytes(GROUP_SECRET_BYTES)));
  }

  /**
   * The secret an invite link's private key stands for: its `logKey()` is the invite's read key
   * (the relay serves the log to it while the invite is live), and it seals the welcome (the
   * group's info) a joiner is shown. It opens nothing else: never the group secret's blobs.
   */
  static forInvite(invitePrivateKey: Uint8Array): GroupSecret {
    return new GroupSecret(
      ownedBytes(
        new Uint8Array(
          hkdfSync(
            'sha256',
            invitePrivateKey,
            new Uint8Array(0),
            'kindred-group-invite-secret-v1',
            GROUP_SECRET_BYTES,
          ),
        ),
      ),
    );
  }

  static from(bytes: Uint8Array): GroupSecret {
    if (bytes.length !== GROUP_SECRET_BYTES) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'a group secret is 32 bytes');
    }
    return new GroupSecret(ownedBytes(bytes));
  }

  get bytes(): Uint8Array {
    return this.#secret;
  }

  /** Shown to the relay to read the log; the relay keeps only its hash. */
  logKey(): Uint8Array {
    // A copy: what the caller does with it (sends it, wipes it) must not touch the cached key.
    return ownedBytes(this.#derive('kindred-group-log-key-v1', GROUP_LOG_KEY_BYTES));
  }

  /**
   * XChaCha20-Poly1305 under the purpose's key; `context` (the group id, and for a profile the
   * member's identity key) is bound as associated data, so a sealed blob cannot be moved between
   * groups or members. Output: 24-byte nonce ‖ ciphertext.
   */
  async seal(
    purpose: SealPurpose,
    plaintext: Uint8Array,
    context: Uint8Array,
  ): Promise<Uint8Array> {
    const sodium = await loadSodium();
    // node:crypto's CSPRNG: libsodium's randombytes_buf costs ~100 µs a call in WebAssembly, and
    // every group post seals its sender's address (the vault chose the same for the same reason).
    const nonce = randomFillSync(
      new Uint8Array(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES),
    );
    const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      plaintext,
      this.#additionalData(purpose, context),
      null,
      nonce,
      this.#sealKey(purpose),
    );
    return concatBytes(nonce, ciphertext);
  }

  /** Opens what `seal` made; CORE_DECRYPT_FAILED for anything else. */
  async open(purpose: SealPurpose, sealed: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
    const sodium = await loadSodium();
    const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (sealed.length < nonceBytes + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES) {
      throw new CoreError(CoreErrorCode.DecryptFailed, 'sealed group data too short');
    }
    try {
      return ownedBytes(
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          sealed.subarray(nonceBytes),
          this.#additionalData(purpose, context),
          sealed.subarray(0, nonceBytes),
          this.#sealKey(purpose),
        ),
      );
    } catch (error) {
      throw new CoreError(CoreErrorCode.DecryptFailed, 'sealed group data does not open', {
        cause: error,
      });
    }
  }

  /**
   * The epoch's join key pair (X25519, derived from the secret): its public half is in the log, and
   * joiners seal their profiles to it, so only members holding this epoch's secret open them.
   */
  async joinKeyPair(): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array }> {
    if (this.#joinPair === undefined) {
      const sodium = await loadSodium();
      const pair = sodium.crypto_box_seed_keypair(this.#derive('kindred-group-join-key-v1', 32));
      this.#joinPair = {
        publicKey: ownedBytes(pair.publicKey),
        privateKey: ownedBytes(pair.privateKey),
      };
    }
    return {
      publicKey: ownedBytes(this.#joinPair.publicKey),
      privateKey: this.#joinPair.privateKey,
    };
  }

  /** Opens a profile a joiner sealed to this epoch's join key; CORE_DECRYPT_FAILED otherwise. */
  async openJoinSealed(sealed: Uint8Array): Promise<Uint8Array> {
    const sodium = await loadSodium();
    const pair = await this.joinKeyPair();
    if (sealed.length < SEALED_BOX_OVERHEAD) {
      throw new CoreError(CoreErrorCode.DecryptFailed, 'sealed join data too short');
    }
    try {
      return ownedBytes(sodium.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey));
    } catch (error) {
      throw new CoreError(CoreErrorCode.DecryptFailed, 'sealed join data does not open', {
        cause: error,
      });
    }
  }

  /** Seals `plaintext` to an epoch's join key (public, from the log): what a joiner does. */
  static async sealToJoinKey(joinKey: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const sodium = await loadSodium();
    if (joinKey.length !== 32) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'a join key is 32 bytes');
    }
    return ownedBytes(sodium.crypto_box_seal(plaintext, joinKey));
  }

  #additionalData(purpose: SealPurpose, context: Uint8Array): Uint8Array {
    return concatBytes(utf8(`kindred-group-${purpose}`), context);
  }

  #sealKey(purpose: SealPurpose): Uint8Array {
    return this.#derive(`kindred-group-seal-${purpose}-v1`, 32);
  }

  /** HKDF-SHA256 of the secret under `label`, derived on first use and kept. Never handed out. */
  #derive(label: string, length: number): Uint8Array {
    let key = this.#keys.get(label);
    if (key === undefined) {
      key = ownedBytes(
        new Uint8Array(hkdfSync('sha256', this.#secret, new Uint8Array(0), label, length)),
      );
      this.#keys.set(label, key);
    }
    return key;
  }
}
