/**
 * GroupSecret derives each of its keys (the log key, one sealing key per purpose) once per
 * instance, however often it seals, opens or is asked for its log key, and hands out the log key
 * as a copy, so a caller cannot change the key it derived.
 */
import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { GroupSecret, utf8 } from '../../../core/index.js';
import type { SealPurpose } from '../../../core/index.js';
import { randomBytesOf } from './groupTestLog.js';

const derived = vi.hoisted(() => ({ labels: [] as string[] }));

// node:crypto as it is, but counting HKDF derivations by label.
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  const hkdfSync: typeof crypto.hkdfSync = (digest, key, salt, info, length) => {
    derived.labels.push(typeof info === 'string' ? info : 'bytes');
    return crypto.hkdfSync(digest, key, salt, info, length);
  };
  return { ...crypto, default: { ...crypto, hkdfSync }, hkdfSync };
});

const PURPOSES: readonly SealPurpose[] = ['info', 'profile', 'reason', 'sender'];
const groupId = randomBytesOf(16);

describe('GroupSecret keys', () => {
  it('derives each key once per instance', async () => {
    derived.labels.length = 0;
    const secret = GroupSecret.from(randomBytesOf(32));
    for (let round = 0; round < 5; round++) {
      expect(secret.logKey()).toStrictEqual(secret.logKey());
      for (const purpose of PURPOSES) {
        const sealed = await secret.seal(purpose, utf8(`${purpose} ${round}`), groupId);
        expect(await secret.open(purpose, sealed, groupId)).toStrictEqual(
          utf8(`${purpose} ${round}`),
        );
      }
    }
    expect([...derived.labels].sort()).toStrictEqual(
      [
        'kindred-group-log-key-v1',
        ...PURPOSES.map((purpose) => `kindred-group-seal-${purpose}-v1`),
      ].sort(),
    );
  });

  it('opens what another instance of the same secret sealed, each deriving its own keys', async () => {
    const bytes = randomBytesOf(32);
    const sealed = await GroupSecret.from(bytes).seal('reason', utf8('spam'), groupId);
    derived.labels.length = 0;
    expect(await GroupSecret.from(bytes).open('reason', sealed, groupId)).toStrictEqual(
      utf8('spam'),
    );
    expect(derived.labels).toStrictEqual(['kindred-group-seal-reason-v1']);
  });

  it('hands out a copy of the log key', () => {
    const secret = GroupSecret.generate();
    const logKey = secret.logKey();
    const kept = Uint8Array.from(logKey);
    logKey.fill(0);
    expect(secret.logKey()).toStrictEqual(kept);
  });
});
