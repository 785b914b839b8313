import { utf8 } from '../bytes/bytes.js';
import type { KdfJob } from './kdfWorker.js';
import type { NativeLoader } from './nativeModules.js';
import { hasFunctions, loadInstalledNative } from './nativeModules.js';

/**
 * Argon2id (version 1.3, one lane) from a native module, run on libuv's thread pool so the thread
 * that asks keeps its event loop. Gives the bytes libsodium's crypto_pwhash(ARGON2ID13) gives for
 * the same passphrase, salt, passes and memory: vaults made with the WebAssembly build open with it
 * and the other way round (tests/core/vaultNativeCrypto.test.ts).
 */
export interface NativeArgon2id {
  readonly name: NativeArgon2idName;
  derive(job: KdfJob): Promise<Uint8Array>;
}

export type NativeArgon2idName = '@node-rs/argon2' | 'sodium-native';

/**
 * The fastest native Argon2id that loads here, or undefined (the caller falls back to libsodium's
 * WebAssembly build on a worker). @node-rs/argon2 comes first: on this project's 2-core AMD EPYC it
 * spends about half the CPU time of sodium-native's libsodium for the MODERATE profile, though
 * libsodium picks its AVX-512 code there (measured in docs/performance.md).
 */
export function loadNativeArgon2id(
  load: NativeLoader = loadInstalledNative,
): NativeArgon2id | undefined {
  return fromNodeRsArgon2(load('@node-rs/argon2')) ?? fromSodiumNative(load('sodium-native'));
}

let installed: { readonly module: NativeArgon2id | undefined } | undefined;

/** The native Argon2id installed with the app, looked for once per process. */
export function installedNativeArgon2id(): NativeArgon2id | undefined {
  installed ??= { module: loadNativeArgon2id() };
  return installed.module;
}

/** libsodium counts memory in bytes and hands Argon2 whole KiB. */
function kibibytes(memLimit: number): number {
  return Math.floor(memLimit / 1024);
}

interface NodeRsArgon2 {
  hashRaw(
    password: Uint8Array,
    options: {
      salt: Uint8Array;
      algorithm: number;
      version: number;
      timeCost: number;
      memoryCost: number;
      parallelism: number;
      outputLen: number;
    },
  ): Promise<Uint8Array>;
}

/** @node-rs/argon2's enums (const enums in its typings, so spelt out here). */
const NODE_RS_ARGON2ID = 2;
const NODE_RS_VERSION_0X13 = 1;

function fromNodeRsArgon2(module: unknown): NativeArgon2id | undefined {
  if (!hasFunctions(module, ['hashRaw'])) return undefined;
  const argon2 = module as NodeRsArgon2;
  return {
    name: '@node-rs/argon2',
    async derive(job) {
      const passphrase = utf8(job.passphrase);
      try {
        const derived = await argon2.hashRaw(passphrase, {
          salt: job.salt,
          algorithm: NODE_RS_ARGON2ID,
          version: NODE_RS_VERSION_0X13,
          timeCost: job.opsLimit,
          memoryCost: kibibytes(job.memLimit),
          parallelism: 1,
          outputLen: job.keyBytes,
        });
        const key = new Uint8Array(derived);
        derived.fill(0);
        return key;
      } finally {
        passphrase.fill(0);
      }
    },
  };
}

interface SodiumNative {
  crypto_pwhash_async(
    out: Uint8Array,
    passwd: Uint8Array,
    salt: Uint8Array,
    opslimit: number,
    memlimit: number,
    alg: number,
  ): Promise<void>;
  crypto_pwhash_ALG_ARGON2ID13: number;
}

function fromSodiumNative(module: unknown): NativeArgon2id | undefined {
  if (!hasFunctions(module, ['crypto_pwhash_async'])) return undefined;
  const sodium = module as SodiumNative;
  return {
    name: 'sodium-native',
    async derive(job) {
      const passphrase = utf8(job.passphrase);
      const key = new Uint8Array(job.keyBytes);
      try {
        await sodium.crypto_pwhash_async(
          key,
          passphrase,
          job.salt,
          job.opsLimit,
          job.memLimit,
          sodium.crypto_pwhash_ALG_ARGON2ID13,
        );
        return key;
      } finally {
        passphrase.fill(0);
      }
    },
  };
}
