// The window tidies a recovery key as it is typed (desktop/shared/recoveryKeyText.std.ts); core
// reads keys (core/backup/RecoveryKey.ts). Both must agree on every key core makes.
import { describe, expect, it } from 'vitest';
import { RECOVERY_KEY_BYTES, checkRecoveryKey, formatRecoveryKey } from '../../core/index.js';
import { loadSodium } from '../../core/vault/sodium.js';
import {
  RECOVERY_KEY_CHARACTERS,
  readTypedRecoveryKey,
  recoveryKeyGroup,
} from '../../desktop/shared/recoveryKeyText.std.js';

describe('a recovery key as typed in the window', () => {
  it('tidies loose typing into core’s written form, which core accepts', async () => {
    const sodium = await loadSodium();
    for (let n = 0; n < 50; n++) {
      const key = formatRecoveryKey(sodium, sodium.randombytes_buf(RECOVERY_KEY_BYTES));
      const loose = key
        .replace(/-/gu, n % 2 === 0 ? ' ' : '')
        .toLowerCase()
        .replace(/0/gu, 'o')
        .replace(/1/gu, n % 3 === 0 ? 'l' : 'i');
      const typed = readTypedRecoveryKey(loose);
      expect(typed.invalid).toBeUndefined();
      expect(typed.formatted).toBe(key);
      expect(await checkRecoveryKey(typed.formatted)).toBe(key);
      expect(recoveryKeyGroup(loose, 3)).toBe(key.split('-')[2]);
    }
  });

  it('groups a partial key, stops at 36 characters and names a character no key holds', () => {
    expect(readTypedRecoveryKey('abcd').formatted).toBe('ABCD');
    expect(readTypedRecoveryKey('abcde').formatted).toBe('ABCD-E');
    expect(readTypedRecoveryKey('ABCD-').formatted).toBe('ABCD');
    const long = readTypedRecoveryKey('7'.repeat(RECOVERY_KEY_CHARACTERS + 5));
    expect(long.characters).toHaveLength(RECOVERY_KEY_CHARACTERS);
    expect(readTypedRecoveryKey('ab-cu').invalid).toBe('U');
    expect(readTypedRecoveryKey('ab!c').invalid).toBe('!');
    expect(readTypedRecoveryKey('ab!c').characters).toBe('ABC');
    expect(recoveryKeyGroup('abcd', 2)).toBe('');
  });
});
