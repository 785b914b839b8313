import { afterAll, describe, expect, it } from 'vitest';
import { TempDirs, newClient, startTestRelay } from './helpers.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

describe('registration', () => {
  it('solves proof of work that takes longer than the handshake deadline', async () => {
    // 20 bits takes ~1M hashes (around a second); the relay allows 500 ms to answer its
    // challenge. A client that solved with the connection open would almost always be cut off,
    // while 500 ms leaves room to answer the challenge on a machine busy with other suites.
    const relay = await startTestRelay(dirs, { powDifficulty: 20, handshakeTimeoutMs: 500 });
    try {
      const client = await newClient(dirs, relay.url, 'Patient Pow');
      expect(client.whoami().pseudonym).toBe('Patient Pow');
      await client.close();
    } finally {
      await relay.close();
    }
  });
});
