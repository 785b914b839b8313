import { concatBytes, toHex, utf8 } from '../bytes/bytes.js';
import { MAX_KEY_LENGTH } from '../storage/KeyValueStore.js';
import type { NativeLoader } from './nativeModules.js';
import { hasFunctions, loadInstalledNative } from './nativeModules.js';
import type { Sodium } from './sodium.js';

/**
 * The two primitives every vault record costs: XChaCha20-Poly1305 for its contents and a keyed
 * 16-byte BLAKE2b per segment of its key's path. Native libsodium (sodium-native) when it loads,
 * libsodium's WebAssembly build otherwise: the same algorithms, so either opens what the other
 * sealed (tests/core/vaultNativeCrypto.test.ts).
 *
 * Why native: reading 10,000 records is 10,000 of each call, and through the WebAssembly build
 * each copies its inputs into the module's heap and its output back out, which cost more than
 * the cryptography on records of a few hundred bytes.
 */
export interface RecordCipher {
  readonly name: 'sodium-native' | 'libsodium-wasm';
  /** nonce ‖ ciphertext ‖ tag of `plaintext`, authenticated with the UTF-8 of `ad`. */
  seal(plaintext: Uint8Array, ad: string, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /**
   * The plaintext of nonce ‖ ciphertext ‖ tag, or undefined when it fails authentication. The
   * native cipher opens into a buffer it reuses: the result is valid until the next call.
   */
  open(sealed: Uint8Array, ad: string, key: Uint8Array): Uint8Array | undefined;
  /** Hex of the 16-byte BLAKE2b of `parentHash` (16 bytes or none) ‖ UTF-8 of `segment` (at
   * most MAX_KEY_LENGTH characters), keyed by `key`. */
  pathHash(parentHash: Uint8Array, segment: string, key: Uint8Array): string;
  /** Zeroes the buffers it reuses (when its vault locks). */
  wipe(): void;
}

export const RECORD_NONCE_BYTES = 24;
export const RECORD_TAG_BYTES = 16;
const PATH_HASH_BYTES = 16;

/** Native when sodium-native loads here, else the WebAssembly build already loaded. */
export function loadRecordCipher(
  sodium: Sodium,
  load: NativeLoader = loadInstalledNative,
): RecordCipher {
  const native = load('sodium-native');
  return isSodiumNative(native) ? nativeRecordCipher(native) : wasmRecordCipher(sodium);
}

let installedNative: { readonly module: SodiumNative | undefined } | undefined;

/** A record cipher for one vault; the native module is looked for once per process. */
export function installedRecordCipher(sodium: Sodium): RecordCipher {
  if (installedNative === undefined) {
    const module = loadInstalledNative('sodium-native');
    installedNative = { module: isSodiumNative(module) ? module : undefined };
  }
  return installedNative.module === undefined
    ? wasmRecordCipher(sodium)
    : nativeRecordCipher(installedNative.module);
}

export function wasmRecordCipher(sodium: Sodium): RecordCipher {
  return {
    name: 'libsodium-wasm',
    seal(plaintext, ad, nonce, key) {
      const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext,
        utf8(ad),
        null,
        nonce,
        key,
      );
      const sealed = new Uint8Array(RECORD_NONCE_BYTES + ciphertext.length);
      sealed.set(nonce);
      sealed.set(ciphertext, RECORD_NONCE_BYTES);
      return sealed;
    },
    open(sealed, ad, key) {
      if (sealed.length < RECORD_NONCE_BYTES + RECORD_TAG_BYTES) return undefined;
      try {
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          sealed.subarray(RECORD_NONCE_BYTES),
          utf8(ad),
          sealed.subarray(0, RECORD_NONCE_BYTES),
          key,
        );
      } catch {
        return undefined;
      }
    },
    pathHash(parentHash, segment, key) {
      return toHex(
        sodium.crypto_generichash(PATH_HASH_BYTES, concatBytes(parentHash, utf8(segment)), key),
      );
    },
    wipe() {
      // Nothing reused: every result is a fresh array the caller owns.
    },
  };
}

interface SodiumNative {
  crypto_aead_xchacha20poly1305_ietf_encrypt(
    c: Uint8Array,
    m: Uint8Array,
    ad: Uint8Array,
    nsec: null,
    npub: Uint8Array,
    k: Uint8Array,
  ): number;
  crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: Uint8Array,
    nsec: null,
    c: Uint8Array,
    ad: Uint8Array,
    npub: Uint8Array,
    k: Uint8Array,
  ): number;
  crypto_generichash(output: Uint8Array, input: Uint8Array, key: Uint8Array): void;
}

function isSodiumNative(module: unknown): module is SodiumNative {
  return hasFunctions(module, [
    'crypto_aead_xchacha20poly1305_ietf_encrypt',
    'crypto_aead_xchacha20poly1305_ietf_decrypt',
    'crypto_generichash',
  ]);
}

/**
 * Reuses its inputs' and outputs' buffers across calls. A native call reaches a typed array's
 * memory through its ArrayBuffer, which V8 must first move off its heap for small arrays: fresh
 * ones per record made the garbage collector the largest cost of reading a vault.
 */
function nativeRecordCipher(sodium: SodiumNative): RecordCipher {
  let scratch = Buffer.alloc(SCRATCH_BYTES);
  // Path hashes have buffers of their own: a caller may hash while holding an opened record.
  const hashIn = Buffer.alloc(PATH_HASH_BYTES + MAX_KEY_LENGTH * 3);
  const hashOut = Buffer.alloc(PATH_HASH_BYTES);
  /** Room for `bytes` in the scratch buffer, grown (never shrunk) for a large record. */
  const room = (bytes: number): Buffer => {
    if (scratch.length < bytes) {
      scratch.fill(0);
      scratch = Buffer.alloc(Math.max(bytes, scratch.length * 2));
    }
    return scratch;
  };
  return {
    name: 'sodium-native',
    seal(plaintext, ad, nonce, key) {
      const adBytes = room(ad.length * 3);
      const adLength = adBytes.write(ad, 'utf8');
      // Sealed in place after the nonce: one buffer, no copy of the ciphertext.
      const sealed = new Uint8Array(RECORD_NONCE_BYTES + plaintext.length + RECORD_TAG_BYTES);
      sealed.set(nonce);
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        sealed.subarray(RECORD_NONCE_BYTES),
        plaintext,
        adBytes.subarray(0, adLength),
        null,
        nonce,
        key,
      );
      return sealed;
    },
    open(sealed, ad, key) {
      const plaintextLength = sealed.length - RECORD_NONCE_BYTES - RECORD_TAG_BYTES;
      if (plaintextLength < 0) return undefined;
      // One buffer: the associated data first, the plaintext after it.
      const buffer = room(ad.length * 3 + plaintextLength);
      const adLength = buffer.write(ad, 'utf8');
      // A plain Uint8Array, not a Buffer: what callers copy out of it stays core's byte type.
      const plaintext = new Uint8Array(
        buffer.buffer,
        buffer.byteOffset + adLength,
        plaintextLength,
      );
      try {
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          plaintext,
          null,
          sealed.subarray(RECORD_NONCE_BYTES),
          buffer.subarray(0, adLength),
          sealed.subarray(0, RECORD_NONCE_BYTES),
          key,
        );
        return plaintext;
      } catch {
        return undefined;
      }
    },
    pathHash(parentHash, segment, key) {
      hashIn.set(parentHash);
      const length = parentHash.length + hashIn.write(segment, parentHash.length, 'utf8');
      sodium.crypto_generichash(hashOut, hashIn.subarray(0, length), key);
      return hashOut.toString('hex');
    },
    wipe() {
      scratch.fill(0);
      hashIn.fill(0);
      hashOut.fill(0);
    },
  };
}

/** The reused buffer's first size: a stored key and a record of a few KiB. */
const SCRATCH_BYTES = 16 * 1024;
