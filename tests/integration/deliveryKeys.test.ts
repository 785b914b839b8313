// Issue 10 §4 against a real relay on loopback (real LevelDB folder, real clients): per-contact,
// per-invite and per-membership delivery keys. A leaked key floods only its own share of the
// mailbox, blocking revokes exactly the blocked contact's key, an expired invite's key no longer
// writes, and a group profile never carries a key that outlives the membership.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KindredClient,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  parseContactInviteLink,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { epochSecretsFromVault, fetchGroupState, groupIdOf } from './groupHelpers.js';
import { openAnyMemberProfile } from '../../core/client/groups/groupCodec.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

const SHARE = 25;
const dirs = new TempDirs();
let relay: RunningRelay;
const clients: KindredClient[] = [];

async function client(name: string, home?: string): Promise<KindredClient> {
  const made = await newClient(dirs, relay.url, name, home === undefined ? {} : { home });
  clients.push(made);
  return made;
}

/** What the relay answers to one sealed-looking envelope sent with `accessKey`: 'ok' or a code. */
async function tryWrite(recipient: string, accessKey: Uint8Array): Promise<string> {
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    await connection.request(
      {
        case: 'sendEnvelope',
        value: { recipient, accessKey, sealed: new Uint8Array(96).fill(9) },
      },
      'sendAck',
    );
    return 'ok';
  } catch (error) {
    if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
    throw error;
  } finally {
    connection.close();
  }
}

/** Junk envelopes with `accessKey` until the relay refuses one; how many it took, and why. */
async function flood(
  recipient: string,
  accessKey: Uint8Array,
  max: number,
): Promise<{ accepted: number; refusal: string }> {
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    for (let accepted = 0; accepted < max; accepted++) {
      try {
        await connection.request(
          {
            case: 'sendEnvelope',
            value: { recipient, accessKey, sealed: new Uint8Array(96).fill(accepted % 256) },
          },
          'sendAck',
        );
      } catch (error) {
        if (!RelayRejectedError.isRelayRejection(error)) throw error;
        return { accepted, refusal: error.relayCode };
      }
    }
    return { accepted: max, refusal: 'none' };
  } finally {
    connection.close();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

beforeAll(async () => {
  relay = await startTestRelay(dirs, {
    maxEnvelopesPerDeliveryKey: SHARE,
    maxMailboxDepth: 4 * SHARE,
    maxSendsPerSecond: 0,
    maxFramesPerSecond: 0,
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('per-contact delivery keys', () => {
  let alice: KindredClient;
  let bob: KindredClient;
  let mallory: KindredClient;
  let aliceHome: string;

  it('gives each contact a key of its own, replacing the invite link’s', async () => {
    aliceHome = await dirs.make('home');
    alice = await client('Alice', aliceHome);
    bob = await client('Bob');
    mallory = await client('Mallory');
    await alice.start({ receive: true });
    await bob.start({ receive: true });
    await mallory.start({ receive: true });
    // One link used by both: each still ends up with a key of its own.
    const invite = await alice.createInvite({ maxUses: 2, expiresAt: Date.now() + 600_000 });
    const inviteKey = parseContactInviteLink(invite.link).card.accessKey;
    await bob.addContact(invite.link, { alias: 'alice' });
    await mallory.addContact(invite.link, { alias: 'alice' });
    await bob.flushOutbox(10_000);
    await mallory.flushOutbox(10_000);
    await waitFor(
      async () =>
        !sameBytes((await bob.contact('alice')).accessKey, inviteKey) &&
        !sameBytes((await mallory.contact('alice')).accessKey, inviteKey),
      10_000,
      'both keys granted',
    );
    const bobsKey = (await bob.contact('alice')).accessKey;
    const mallorysKey = (await mallory.contact('alice')).accessKey;
    expect(sameBytes(bobsKey, mallorysKey)).toBe(false);
    // Alice wrote to each with the key each gave her in its introduction: different keys too.
    const toBob = (await alice.contact(bob.address)).accessKey;
    const toMallory = (await alice.contact(mallory.address)).accessKey;
    expect(sameBytes(toBob, toMallory)).toBe(false);
    expect(await tryWrite(alice.address, bobsKey)).toBe('ok');
  });

  it('a leaked key floods only its own share: the other contacts’ messages still arrive', async () => {
    const mallorysKey = (await mallory.contact('alice')).accessKey;
    // Alice is away while the flood comes.
    await alice.close();
    const result = await flood(alice.address, mallorysKey, 4 * SHARE);
    expect(result).toStrictEqual({
      accepted: expect.any(Number) as number,
      refusal: RelayErrorCode.DeliveryKeyQuota,
    });
    expect(result.accepted).toBeLessThanOrEqual(SHARE);
    await bob.send('alice', 'still reaching you?');
    await bob.flushOutbox(10_000);
    alice = await KindredClient.open({
      home: aliceHome,
      passphrase: PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
    });
    clients.push(alice);
    await alice.start({ receive: true });
    await waitFor(
      async () =>
        messagesOf(await alice.messages(bob.address)).some((m) => m.text === 'still reaching you?'),
      15_000,
      'bob’s message',
    );
  });

  it('blocking the flooder revokes its key at the relay: its next envelope is refused', async () => {
    const mallorysKey = (await mallory.contact('alice')).accessKey;
    const { contact, revokedAtRelay } = await alice.block(mallory.address);
    expect(contact.blocked).toBe(true);
    expect(revokedAtRelay).toBe(true);
    expect(await tryWrite(alice.address, mallorysKey)).toBe(RelayErrorCode.AccessDenied);
    const failed: string[] = [];
    mallory.on('sendFailed', ({ error }) =>
      failed.push(RelayRejectedError.isRelayRejection(error) ? error.relayCode : error.code),
    );
    await mallory.send('alice', 'let me back in');
    await mallory.flushOutbox(10_000);
    expect(failed).toStrictEqual([RelayErrorCode.AccessDenied]);
    // Bob's key is untouched.
    expect(await tryWrite(alice.address, (await bob.contact('alice')).accessKey)).toBe('ok');
    // Alice writes to nobody she blocked.
    await expect(alice.send(mallory.address, 'hi')).rejects.toMatchObject({
      code: 'CORE_CONTACT_BLOCKED',
    });
  });

  it('unblocking grants a fresh key; the revoked one stays revoked', async () => {
    const revoked = (await mallory.contact('alice')).accessKey;
    const { revokedAtRelay } = await alice.unblock(mallory.address);
    expect(revokedAtRelay).toBe(true);
    await alice.flushOutbox(10_000);
    await waitFor(
      async () => !sameBytes((await mallory.contact('alice')).accessKey, revoked),
      10_000,
      'the new key',
    );
    expect(await tryWrite(alice.address, revoked)).toBe(RelayErrorCode.AccessDenied);
    await mallory.send('alice', 'thank you');
    await mallory.flushOutbox(10_000);
    await waitFor(
      async () =>
        messagesOf(await alice.messages(mallory.address)).some((m) => m.text === 'thank you'),
      10_000,
      'mallory’s message',
    );
  });
});

describe('invite link keys', () => {
  it('an expired invite’s key no longer writes, while its owner is offline', async () => {
    const ivy = await client('Ivy');
    await ivy.start({ receive: true });
    const invite = await ivy.createInvite({ maxUses: 5, expiresAt: Date.now() + 2_000 });
    const key = parseContactInviteLink(invite.link).card.accessKey;
    await ivy.close();
    expect(await tryWrite(ivy.address, key)).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await tryWrite(ivy.address, key)).toBe(RelayErrorCode.AccessDenied);
    const connection = await RelayConnection.open({ url: relay.url });
    try {
      await expect(
        connection.request(
          { case: 'fetchPreKeyBundle', value: { address: ivy.address, accessKey: key } },
          'preKeyBundle',
        ),
      ).rejects.toMatchObject({ relayCode: RelayErrorCode.AccessDenied });
    } finally {
      connection.close();
    }
  });

  it('a used-up invite’s key is revoked once its grace has passed', async () => {
    const kim = await newClient(dirs, relay.url, 'Kim', { usedInviteKeyGraceMs: 1_000 });
    clients.push(kim);
    await kim.start({ receive: true });
    const lee = await client('Lee');
    await lee.start({ receive: true });
    const invite = await kim.createInvite({ maxUses: 1, expiresAt: Date.now() + 600_000 });
    const key = parseContactInviteLink(invite.link).card.accessKey;
    await lee.addContact(invite.link, { alias: 'kim' });
    await lee.flushOutbox(10_000);
    await waitFor(async () => (await kim.contacts()).length === 1, 10_000, 'the introduction');
    // Used up, but still good during the grace: Lee may not have its own key yet.
    expect(await tryWrite(kim.address, key)).toBe('ok');
    await waitFor(
      async () => (await tryWrite(kim.address, key)) === RelayErrorCode.AccessDenied,
      10_000,
      'the used-up link’s key revoked',
    );
    // Lee writes with its own key, which it got meanwhile.
    await waitFor(
      async () => !sameBytes((await lee.contact('kim')).accessKey, key),
      10_000,
      'Lee’s own key',
    );
    await lee.send('kim', 'hello with my own key');
    await lee.flushOutbox(10_000);
    await waitFor(
      async () =>
        messagesOf(await kim.messages(lee.address)).some((m) => m.text === 'hello with my own key'),
      10_000,
      'Lee’s message',
    );
  });

  it('a link never carries the persona’s registration key, and two links carry two keys', async () => {
    const jo = await client('Jo');
    await jo.start({ receive: true });
    const one = await jo.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
    const two = await jo.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
    const first = parseContactInviteLink(one.link).card.accessKey;
    const second = parseContactInviteLink(two.link).card.accessKey;
    expect(sameBytes(first, second)).toBe(false);
    expect(await tryWrite(jo.address, first)).toBe('ok');
    expect(await tryWrite(jo.address, second)).toBe('ok');
  });
});

describe('group membership keys', () => {
  it('a member’s profile carries a key for that membership only, revoked when it leaves', async () => {
    const ownerHome = await dirs.make('home');
    const owner = await client('Owner', ownerHome);
    const member = await client('Member');
    await owner.start({ receive: true });
    await member.start({ receive: true });
    const friend = await client('Friend');
    await friend.start({ receive: true });
    await connectPair(member, friend);
    const group = await owner.createGroup({ name: 'Circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + 600_000 });
    // Joined as the persona its contact knows, so that persona has a contact key and a group key.
    const joined = await member.joinGroup(link, { persona: 'current' });
    expect(joined.persona).toBe(member.address);
    await waitFor(async () => (await group.members()).length === 2, 10_000, 'the join');

    // Read as a member can: with the group's epoch secrets from the owner's vault (closed for
    // that), the log fetched with the newest one, the joiner's profile opened with its join key.
    await waitFor(
      async () => !(await joined.details()).waitingForKey,
      10_000,
      'the member to get the group key',
    );
    const groupId = groupIdOf(group);
    await owner.close();
    const secrets = await epochSecretsFromVault(ownerHome, group.persona, groupId);
    const newest = secrets.at(-1);
    if (newest === undefined) throw new Error('no epoch secret in the owner’s vault');
    const state = await fetchGroupState(relay.url, { groupId, secret: newest });
    const entry = state.members.get(member.address);
    if (entry === undefined) throw new Error('member not in the log');
    const profile = await openAnyMemberProfile(
      secrets,
      groupId,
      entry.identityKey,
      entry.sealedProfile,
    );
    // Not the key its contact holds: a different key, for this group only.
    const contactKey = (await friend.contact(member.address)).accessKey;
    expect(sameBytes(profile.accessKey, contactKey)).toBe(false);
    expect(await tryWrite(member.address, profile.accessKey)).toBe('ok');

    await joined.leave();
    await waitFor(
      async () =>
        (await tryWrite(member.address, profile.accessKey)) === RelayErrorCode.AccessDenied,
      10_000,
      'the membership key revoked',
    );
    expect(await tryWrite(member.address, contactKey)).toBe('ok');
  });
});
