import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { deriveOnWorker } from './kdfWorker.js';
import type { NativeArgon2id, NativeArgon2idName } from './nativeArgon2id.js';
import { installedNativeArgon2id } from './nativeArgon2id.js';
import type { Sodium } from './sodium.js';

/**
 * How the passphrase becomes the key that wraps the vault's data key. The parameters are stored in
 * the vault (and bound into the wrapped key's associated data) so they can be raised later without
 * breaking old vaults.
 */
export interface KdfParams {
  readonly algorithm: 'argon2id13';
  readonly opsLimit: number;
  readonly memLimit: number;
  readonly salt: Uint8Array;
}

/**
 * `moderate` is the default (libsodium's MODERATE: 3 passes over 256 MiB). `sensitive` is stronger
 * and slower (4 passes over 1 GiB), and the most a stored vault may ask for. `insecure-fast` exists
 * only so test suites can create hundreds of vaults; it must be asked for by name and is never
 * chosen implicitly (the CLI takes it only with KINDRED_TEST_INSECURE_KDF=1, and never lists it).
 */
export type KdfProfile = 'moderate' | 'sensitive' | 'insecure-fast';

export const DEFAULT_KDF_PROFILE: KdfProfile = 'moderate';

export function kdfParamsFor(sodium: Sodium, profile: KdfProfile): KdfParams {
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  switch (profile) {
    case 'moderate':
      return {
        algorithm: 'argon2id13',
        opsLimit: sodium.crypto_pwhash_OPSLIMIT_MODERATE,
        memLimit: sodium.crypto_pwhash_MEMLIMIT_MODERATE,
        salt,
      };
    case 'sensitive':
      return {
        algorithm: 'argon2id13',
        opsLimit: sodium.crypto_pwhash_OPSLIMIT_SENSITIVE,
        memLimit: sodium.crypto_pwhash_MEMLIMIT_SENSITIVE,
        salt,
      };
    case 'insecure-fast':
      return {
        algorithm: 'argon2id13',
        opsLimit: sodium.crypto_pwhash_OPSLIMIT_MIN,
        memLimit: sodium.crypto_pwhash_MEMLIMIT_MIN,
        salt,
      };
  }
}

/**
 * Refuses parameters read from disk that libsodium would reject or that cost more than its
 * SENSITIVE profile (3 GiB·passes: 4 passes over 1 GiB), so a tampered vault cannot make unlock
 * allocate gigabytes or spin for hours, and libsodium never fails with an uncoded error (its
 * WebAssembly build throws a bare Error above 1 GiB).
 */
export function checkStoredKdfParams(sodium: Sodium, params: KdfParams): void {
  const wellFormed =
    Number.isSafeInteger(params.opsLimit) &&
    Number.isSafeInteger(params.memLimit) &&
    params.opsLimit >= sodium.crypto_pwhash_OPSLIMIT_MIN &&
    params.memLimit >= sodium.crypto_pwhash_MEMLIMIT_MIN &&
    params.salt.length === sodium.crypto_pwhash_SALTBYTES;
  if (!wellFormed)
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'vault KDF parameters are invalid');
  if (
    params.opsLimit > sodium.crypto_pwhash_OPSLIMIT_SENSITIVE ||
    params.memLimit > sodium.crypto_pwhash_MEMLIMIT_SENSITIVE
  ) {
    throw new CoreError(
      CoreErrorCode.VaultKdfUnsupported,
      'vault KDF parameters exceed the sensitive profile',
    );
  }
}

/**
 * Argon2 work (passes × bytes) up to which a derivation runs in place: less than starting a worker
 * costs. Only `insecure-fast` (1 pass over 8 KiB) is this cheap; every real profile takes seconds.
 */
const IN_PLACE_KDF_WORK = 4 * 1024 * 1024;

/** Which implementation derived a key: a native module, or libsodium's WebAssembly build. */
export type KdfPath = NativeArgon2idName | 'wasm-worker' | 'wasm-in-place';

/**
 * Derives the key that wraps the vault's data key. Real profiles run off the asking thread, so
 * unlocking never freezes its event loop: on a native Argon2id when one loads (libuv's thread
 * pool, about half the time of the WebAssembly build), else libsodium's WebAssembly build on a
 * worker thread (`deriveOnWorker`), else in place. Every path gives the same key.
 */
export async function deriveKeyEncryptionKey(
  sodium: Sodium,
  passphrase: string,
  params: KdfParams,
): Promise<Uint8Array> {
  return (await deriveKeyEncryptionKeyVia(sodium, passphrase, params, installedNativeArgon2id()))
    .key;
}

/** `deriveKeyEncryptionKey` with the native module given, saying which path derived the key. */
export async function deriveKeyEncryptionKeyVia(
  sodium: Sodium,
  passphrase: string,
  params: KdfParams,
  native: NativeArgon2id | undefined,
): Promise<{ key: Uint8Array; path: KdfPath }> {
  const job = {
    keyBytes: sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    passphrase: passphrase.normalize('NFKC'),
    salt: params.salt,
    opsLimit: params.opsLimit,
    memLimit: params.memLimit,
  };
  if (params.opsLimit * params.memLimit > IN_PLACE_KDF_WORK) {
    if (native !== undefined) {
      try {
        return { key: await native.derive(job), path: native.name };
      } catch {
        // A native module that loads but fails (say, it cannot get the memory) is not the end:
        // the WebAssembly build below may still manage, and gives the same key.
      }
    }
    const derived = await deriveOnWorker(job);
    if (derived !== undefined) return { key: derived, path: 'wasm-worker' };
  }
  const key = sodium.crypto_pwhash(
    job.keyBytes,
    job.passphrase,
    job.salt,
    job.opsLimit,
    job.memLimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  return { key, path: 'wasm-in-place' };
}
