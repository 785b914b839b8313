import { afterAll, describe, expect, it } from 'vitest';
import { TempDirs, newClient, startTestRelay } from './helpers.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

describe('registration', () => {
  it('solves proof of work that takes longer than the handshake deadline', async () => {
    // 17 bits takes ~130k hashes (tens to hundreds of ms); the relay allows 50 ms to answer its
    // challenge. A client that solved with the connection open would be cut off every time.
    const relay = await startTestRelay(dirs, { powDifficulty: 17, handshakeTimeoutMs: 50 });
    try {
      const client = await newClient(dirs, relay.url, 'Patient Pow');
      expect(client.whoami().pseudonym).toBe('Patient Pow');
      await client.close();
    } finally {
      await relay.close();
    }
  });
});
