import { describe, expect, it } from 'vitest';
import type { KindredClientOptions } from '../../../core/client/index.js';
import { IMMEDIATE_CONNECT_SCHEDULE } from '../../../core/client/index.js';
import { tunables } from '../../../core/client/clientOptions.js';

/** Every tunable set. A new option fails to compile here until it is given a value. */
const EVERY_TUNABLE: Required<Omit<KindredClientOptions, 'vaultFolder'>> = {
  connectTimeoutMs: 1,
  requestTimeoutMs: 2,
  backoff: { initialMs: 3, maxMs: 4 },
  preKeyBatchSize: 5,
  keepAliveMs: 6,
  usedInviteKeyGraceMs: 7,
  connectSchedule: IMMEDIATE_CONNECT_SCHEDULE,
  anonymousIdleMs: 8,
  minDisappearingSeconds: 9,
  disappearingSweepMs: 10,
  attachmentRetryMs: 11,
  attachmentMaxAttempts: 12,
  sendDeadlineMs: 13,
  timeZone: 'Pacific/Auckland',
  scheduleClock: () => 14,
  credentialClock: () => 15,
};

describe('tunables', () => {
  it('keeps every tunable set, and drops the passphrase, the home and the vault folder', () => {
    const options = {
      ...EVERY_TUNABLE,
      passphrase: 'secret',
      home: '/somewhere',
      vaultFolder: '/somewhere',
    };
    expect(tunables(options)).toStrictEqual(EVERY_TUNABLE);
  });

  it('leaves out what is not set (no key holding undefined)', () => {
    const kept = tunables({ keepAliveMs: 0, backoff: { initialMs: 1, maxMs: 2 } });
    expect(kept).toStrictEqual({ keepAliveMs: 0, backoff: { initialMs: 1, maxMs: 2 } });
    expect(Object.keys(tunables({}))).toEqual([]);
  });
});
