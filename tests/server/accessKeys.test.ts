import { describe, expect, it } from 'vitest';
import { RelayErrorCode, accessKeyHash } from '../../core/index.js';
import { AccessKeyMemo, checkAccessKey } from '../../server/accessKeys.js';
import { RelayError } from '../../server/RelayError.js';
import { MemoryRelayStore } from '../../server/index.js';

const ADDRESS = '01234567-89ab-8cde-8f01-23456789abcd';

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return RelayError.is(error) ? error.code : 'not a RelayError';
  }
}

describe('checkAccessKey with a memo', () => {
  it('still refuses a wrong key, and an old key once the persona changes it', async () => {
    const store = new MemoryRelayStore();
    const key = new Uint8Array(32).fill(1);
    const persona = {
      address: ADDRESS,
      identityKey: new Uint8Array(33).fill(2),
      registrationId: 7,
      accessKeyHash: accessKeyHash(key),
      registeredAt: 1_700_000_000_000,
    };
    await store.putPersona(persona);
    const memo = new AccessKeyMemo();
    expect((await checkAccessKey(store, ADDRESS, key, memo)).address).toBe(ADDRESS);
    expect((await checkAccessKey(store, ADDRESS, key, memo)).address).toBe(ADDRESS);
    const wrong = new Uint8Array(32).fill(3);
    expect(await refusal(checkAccessKey(store, ADDRESS, wrong, memo))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect(await refusal(checkAccessKey(store, ADDRESS, key.subarray(1), memo))).toBe(
      RelayErrorCode.AccessDenied,
    );
    // The memo still holds the first key: it must not outlive the record it was checked against.
    await store.putPersona({ ...persona, accessKeyHash: accessKeyHash(wrong) });
    expect(await refusal(checkAccessKey(store, ADDRESS, key, memo))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect((await checkAccessKey(store, ADDRESS, wrong, memo)).address).toBe(ADDRESS);
    await store.close();
  });
});
