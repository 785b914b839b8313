/**
 * GroupSecret: sealing under one key per purpose, bound to its context; anything else opens to
 * CORE_DECRYPT_FAILED. The log key is a deterministic function of the secret and differs between
 * secrets.
 */
import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  GROUP_LOG_KEY_BYTES,
  GROUP_SECRET_BYTES,
  GroupSecret,
  bytesEqual,
  logKeyHash,
  toHex,
  utf8,
} from '../../../core/index.js';
import type { SealPurpose } from '../../../core/index.js';
import { expectCode, randomBytesOf } from './groupTestLog.js';

const PURPOSES: readonly SealPurpose[] = ['info', 'profile', 'reason', 'sender'];
/** XChaCha20-Poly1305: a 24-byte nonce in front, a 16-byte tag behind. */
const OVERHEAD = 24 + 16;

const groupId = randomBytesOf(16);

async function expectDecryptFailed(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(CoreError.is(error, CoreErrorCode.DecryptFailed)).toBe(true);
}

describe('GroupSecret', () => {
  it('seals and opens for each purpose', async () => {
    const secret = GroupSecret.generate();
    for (const purpose of PURPOSES) {
      for (const plaintext of [new Uint8Array(0), utf8(`a ${purpose}`), randomBytesOf(5000)]) {
        const sealed = await secret.seal(purpose, plaintext, groupId);
        expect(sealed).toHaveLength(plaintext.length + OVERHEAD);
        expect(await secret.open(purpose, sealed, groupId)).toStrictEqual(plaintext);
      }
    }
  });

  it('opens with a copy of the secret made from its bytes', async () => {
    const secret = GroupSecret.generate();
    const sealed = await secret.seal('info', utf8('Rare Disease Circle'), groupId);
    const copy = GroupSecret.from(secret.bytes);
    expect(await copy.open('info', sealed, groupId)).toStrictEqual(utf8('Rare Disease Circle'));
  });

  it('uses a fresh nonce each time', async () => {
    const secret = GroupSecret.generate();
    const plaintext = utf8('same words');
    const first = await secret.seal('reason', plaintext, groupId);
    const second = await secret.seal('reason', plaintext, groupId);
    expect(bytesEqual(first.subarray(0, 24), second.subarray(0, 24))).toBe(false);
    expect(bytesEqual(first, second)).toBe(false);
  });

  it('refuses to open a blob sealed for another purpose', async () => {
    const secret = GroupSecret.generate();
    for (const sealedFor of PURPOSES) {
      const sealed = await secret.seal(sealedFor, utf8('x'), groupId);
      for (const openAs of PURPOSES.filter((purpose) => purpose !== sealedFor)) {
        await expectDecryptFailed(secret.open(openAs, sealed, groupId));
      }
    }
  });

  it('refuses to open a blob in another context', async () => {
    const secret = GroupSecret.generate();
    const memberKey = randomBytesOf(33);
    const sealed = await secret.seal('profile', utf8('pseudonym'), memberKey);
    await expectDecryptFailed(secret.open('profile', sealed, randomBytesOf(33)));
    await expectDecryptFailed(secret.open('profile', sealed, memberKey.subarray(1)));
    await expectDecryptFailed(secret.open('profile', sealed, new Uint8Array(0)));
    const inGroup = await secret.seal('info', utf8('name'), groupId);
    await expectDecryptFailed(secret.open('info', inGroup, randomBytesOf(16)));
  });

  it('refuses to open under another secret', async () => {
    const sealed = await GroupSecret.generate().seal('sender', utf8('me'), groupId);
    await expectDecryptFailed(GroupSecret.generate().open('sender', sealed, groupId));
  });

  it('refuses every flipped byte, and anything truncated or extended', async () => {
    const secret = GroupSecret.generate();
    const sealed = await secret.seal('reason', utf8('spam'), groupId);
    for (let index = 0; index < sealed.length; index++) {
      const flipped = Uint8Array.from(sealed);
      flipped[index] = (flipped[index] ?? 0) ^ 0x01;
      await expectDecryptFailed(secret.open('reason', flipped, groupId));
    }
    for (const length of [0, 1, 23, 24, OVERHEAD - 1, OVERHEAD, sealed.length - 1]) {
      await expectDecryptFailed(secret.open('reason', sealed.subarray(0, length), groupId));
    }
    const extended = new Uint8Array(sealed.length + 1);
    extended.set(sealed);
    await expectDecryptFailed(secret.open('reason', extended, groupId));
  });

  it('opens only what it sealed, for random plaintexts, contexts and bytes', async () => {
    const secret = GroupSecret.generate();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PURPOSES),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 120 }),
        async (purpose, plaintext, context, garbage) => {
          const sealed = await secret.seal(purpose, plaintext, context);
          expect(await secret.open(purpose, sealed, context)).toStrictEqual(plaintext);
          await expectDecryptFailed(secret.open(purpose, garbage, context));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('derives a deterministic log key, different for each secret', () => {
    const secret = GroupSecret.generate();
    const logKey = secret.logKey();
    expect(logKey).toHaveLength(GROUP_LOG_KEY_BYTES);
    expect(secret.logKey()).toStrictEqual(logKey);
    expect(GroupSecret.from(secret.bytes).logKey()).toStrictEqual(logKey);
    expect(bytesEqual(logKey, secret.bytes)).toBe(false);
    expect(logKeyHash(logKey)).toHaveLength(32);
    expect(logKeyHash(logKey)).toStrictEqual(logKeyHash(GroupSecret.from(secret.bytes).logKey()));

    const keys = new Set(Array.from({ length: 20 }, () => toHex(GroupSecret.generate().logKey())));
    keys.add(toHex(logKey));
    expect(keys.size).toBe(21);
  });

  it('derives the log key as HKDF-SHA256(secret, "kindred-group-log-key-v1")', () => {
    // Every member and the relay must agree on it for as long as a group lives: pin the
    // derivation, computed here independently of GroupSecret.
    for (const fill of [0, 1, 0xff]) {
      const bytes = new Uint8Array(GROUP_SECRET_BYTES).fill(fill);
      const expected = new Uint8Array(
        hkdfSync(
          'sha256',
          bytes,
          new Uint8Array(0),
          'kindred-group-log-key-v1',
          GROUP_LOG_KEY_BYTES,
        ),
      );
      expect(GroupSecret.from(bytes).logKey()).toStrictEqual(expected);
    }
  });

  it('refuses a secret that is not 32 bytes', () => {
    for (const length of [0, 16, 31, 33, 64]) {
      expectCode(() => GroupSecret.from(randomBytesOf(length)), CoreErrorCode.InvalidInput);
    }
  });

  it('keeps its own copy of the bytes it was made from', async () => {
    const bytes = randomBytesOf(GROUP_SECRET_BYTES);
    const secret = GroupSecret.from(bytes);
    const logKey = secret.logKey();
    const sealed = await secret.seal('info', utf8('name'), groupId);
    bytes.fill(0);
    expect(secret.logKey()).toStrictEqual(logKey);
    expect(await secret.open('info', sealed, groupId)).toStrictEqual(utf8('name'));
  });
});
