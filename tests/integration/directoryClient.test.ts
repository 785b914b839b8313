/**
 * The client's directory against a real relay on loopback: the home relay is followed by
 * default; a relay whose Challenge carries an operator key its trust root did not endorse (a
 * frame-rewriting proxy swaps the key, or drops the endorsement) has its directory refused whole
 * with CORE_DIRECTORY_OPERATOR_UNENDORSED, over an anonymous connection that never
 * authenticates.
 */
import { create } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreErrorCode, generateOperatorKeyPair, wire } from '../../core/index.js';
import { RelayProxy } from './RelayProxy.js';
import { useTestRelay } from './helpers.js';

const relay = useTestRelay();
let proxy: RelayProxy;
const clientFrames: string[] = [];

beforeAll(async () => {
  proxy = await RelayProxy.start(relay.url);
  proxy.rewriteClientFrame = (frame) => {
    clientFrames.push(frame.body.case ?? '');
    return frame;
  };
});
afterAll(async () => {
  await proxy.close();
});

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('following a directory', () => {
  it('follows the home relay by default, under the pin it registered with', async () => {
    const client = await relay.client('Reader');
    const follows = await client.directory.follows();
    expect(follows).toEqual([
      expect.objectContaining({ relayUrl: relay.url, home: true, listings: 0, version: 0 }),
    ]);
    expect(await client.directory.search({ text: 'sarcoma' })).toEqual([]);
    expect(await codeOf(client.directory.listing('00'.repeat(16)))).toBe(
      CoreErrorCode.ListingNotFound,
    );
    expect(await codeOf(client.directory.unfollow('ws://127.0.0.1:1'))).toBe(
      CoreErrorCode.DirectoryNotFollowed,
    );
    await client.directory.unfollow(relay.url);
    expect(await client.directory.follows()).toEqual([]);
  });

  it('refuses a directory whose operator key the trust root did not endorse, anonymously', async () => {
    const client = await relay.client('Wary');
    const swapped = generateOperatorKeyPair().publicKey;
    for (const rewrite of [
      (challenge: wire.Challenge) => ({ ...challenge, operatorKey: swapped }),
      (challenge: wire.Challenge) => ({ ...challenge, operatorKeyEndorsement: new Uint8Array() }),
    ]) {
      proxy.rewriteServerFrame = (frame) =>
        frame.body.case === 'challenge'
          ? create(wire.ServerFrameSchema, {
              ...frame,
              body: {
                case: 'challenge',
                value: create(wire.ChallengeSchema, rewrite(frame.body.value)),
              },
            })
          : frame;
      clientFrames.length = 0;
      expect(await codeOf(client.directory.follow(proxy.url))).toBe(
        CoreErrorCode.DirectoryOperatorUnendorsed,
      );
      // Refused at the Challenge: nothing was asked, and nobody authenticated.
      expect(clientFrames).toEqual([]);
    }
    proxy.rewriteServerFrame = (frame) => frame;
    expect((await client.directory.follows()).map((follow) => follow.relayUrl)).toEqual([
      relay.url,
    ]);
  });
});
